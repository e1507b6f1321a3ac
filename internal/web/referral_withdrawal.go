package web

import (
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// Withdrawing a Duty to Notify report made in error: a page with the reason, and the
// API's POST /referrals/{id}/withdrawal. The agency that made the report alone may;
// the store decides (tropic.Referral.WithdrawDutyToNotify).

type referralWithdrawPage struct {
	Layout
	Caption string // the record: "Duty to Notify report 12"
	Heading string
	Back    string
	Action  string
	Version int
	Reasons []selectOption
}

func (s *Server) renderReferralWithdraw(w http.ResponseWriter, r *http.Request, status int, ref *tropic.Referral, version int, reason string, errs []FieldError) {
	p := &referralWithdrawPage{Layout: s.newLayout(r, "Withdraw a Duty to Notify report"), Caption: referralTitle(ref), Heading: "Withdraw this report",
		Back: referralPath(ref.ID), Action: referralPath(ref.ID) + "/withdraw", Version: version}
	p.Nav, p.Errors = "cases", errs
	for _, k := range tropic.DutyToNotifyWithdrawalReasons {
		label := k.Label()
		if k == tropic.RemovedDuplicate {
			label = "Duplicate: the same report was made twice"
		}
		p.Reasons = append(p.Reasons, selectOption{Value: string(k), Label: label, Selected: reason == string(k)})
	}
	p.Reasons = radioOptions("reason", p.Reasons)
	s.render(w, r, status, "referral_withdraw", p)
}

func (s *Server) handleReferralWithdrawForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := s.loadReferral(w, r)
		if ref == nil {
			return
		}
		if err := ref.MayAmendDutyToNotify("withdraw it"); err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderReferralWithdraw(w, r, http.StatusOK, ref, ref.Version, "", nil)
	})
}

func (s *Server) handleReferralWithdraw() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := referralIDFrom(r)
		if !ok || !s.parseForm(w, r) {
			if !ok {
				s.notFound(w, r)
			}
			return
		}
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		reason := r.PostFormValue("reason")
		err := s.deps.Referrals.WithdrawDutyToNotify(r.Context(), actorOf(r), id, tropic.RemovalReason(reason), version)
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, "The report has been withdrawn. It no longer counts as a report made.")
			http.Redirect(w, r, referralPath(id), http.StatusSeeOther)
		case tropic.EINVALID, tropic.ECONFLICT:
			ref := s.loadReferral(w, r)
			if ref == nil {
				return
			}
			status := http.StatusUnprocessableEntity
			if tropic.ErrorCode(err) == tropic.ECONFLICT {
				status, err = http.StatusConflict, invalid("reason", tropic.ErrorMessage(err))
			}
			s.renderReferralWithdraw(w, r, status, ref, ref.Version, reason, fieldErrors(err, "", "reason"))
		default:
			s.fail(w, r, err)
		}
	})
}

type apiReferralWithdrawal struct {
	Version *int   `json:"version"`
	Reason  string `json:"reason"`
}

func (s *Server) handleAPIWithdrawReferral() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiReferralWithdrawal
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		if err := s.deps.Referrals.WithdrawDutyToNotify(r.Context(), apiActor(r), id, tropic.RemovalReason(in.Reason), *in.Version); err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiDecision{ID: id, Status: "withdrawn"})
	})
}
