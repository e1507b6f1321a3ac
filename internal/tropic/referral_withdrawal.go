package tropic

// A Duty to Notify report made in error is withdrawn by the agency that made it, with
// a reason from a short list (no free text: the report identifies no one). It then
// counts as withdrawn, not as made. An NRM referral is not withdrawn this way: the
// person's withdrawal from the NRM is a decision recorded on it (ApplyDecision).

// DutyToNotifyWithdrawalReasons are the reasons a report is withdrawn for.
var DutyToNotifyWithdrawalReasons = []RemovalReason{RemovedInError, RemovedDuplicate}

// AuditReferralWithdrawn records the withdrawal of a Duty to Notify report; the detail
// is the reason's code.
const AuditReferralWithdrawn = "referral.dtn_withdrawn"

// WithdrawDutyToNotify withdraws r, a Duty to Notify report, on day today (YYYY-MM-DD).
func (r *Referral) WithdrawDutyToNotify(reason RemovalReason, today string) error {
	if r.Route != RouteDtN {
		return Errorf(EINVALID, "Only a Duty to Notify report is withdrawn this way. Record the withdrawal of an NRM referral as a decision on it.")
	}
	if r.WithdrawnOn != "" {
		return Errorf(ECONFLICT, "This Duty to Notify report was withdrawn on %s.", r.WithdrawnOn)
	}
	ok := false
	for _, k := range DutyToNotifyWithdrawalReasons {
		ok = ok || k == reason
	}
	if !ok {
		return &Error{Code: EINVALID, Message: "Choose why the report is withdrawn", Fields: map[string]string{"reason": "Choose why the report is withdrawn"}}
	}
	r.WithdrawnOn, r.WithdrawnReason = today, reason
	return nil
}
