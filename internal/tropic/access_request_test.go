package tropic

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMayRequestAccess(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	const holder, mine, third = 1, 2, 3
	worker := Actor{UserID: 10, AgencyID: mine, Roles: []Role{RoleCaseworker}}
	share := func(caseID, agency int64, st ShareStatus) *Share {
		return &Share{CaseID: caseID, AgencyID: agency, Scope: ShareWhole, Status: st}
	}
	partial := &Share{CaseID: 107, AgencyID: mine, Scope: ShareWithoutSensitive, Status: ShareActive}
	hidden := AccessCandidate{CaseID: 100, OwnerID: holder}
	tests := []struct {
		name       string
		actor      Actor
		holder     int64
		candidates []AccessCandidate
		want       []int64
		code       string
	}{
		{"a case the actor may not see is asked for", worker, holder, []AccessCandidate{hidden}, []int64{100}, ""},
		{"a case named twice (two places in one postcode) is asked for once", worker, holder, []AccessCandidate{hidden, hidden}, []int64{100}, ""},
		{"only the holder's cases are asked for", worker, holder,
			[]AccessCandidate{hidden, {CaseID: 101, OwnerID: third}}, []int64{100}, ""},
		{"a case already shared is left out, a hidden one asked for", worker, holder,
			[]AccessCandidate{{CaseID: 102, OwnerID: holder, Shares: []*Share{share(102, mine, ShareActive)}}, hidden}, []int64{100}, ""},
		{"a case the actor sees already: nothing to ask", worker, holder,
			[]AccessCandidate{{CaseID: 102, OwnerID: holder, Shares: []*Share{share(102, mine, ShareActive)}}}, nil, ECONFLICT},
		{"a request that waits: not asked again", worker, holder,
			[]AccessCandidate{{CaseID: 103, OwnerID: holder, Shares: []*Share{share(103, mine, ShareRequested)}}}, nil, ECONFLICT},
		{"a declined request may be asked again", worker, holder,
			[]AccessCandidate{{CaseID: 104, OwnerID: holder, Shares: []*Share{share(104, mine, ShareDeclined)}}}, []int64{104}, ""},
		{"another agency's waiting request does not stop this one", worker, holder,
			[]AccessCandidate{{CaseID: 105, OwnerID: holder, Shares: []*Share{share(105, third, ShareRequested)}}}, []int64{105}, ""},
		{"no record held by the agency: not found", worker, holder, []AccessCandidate{{CaseID: 101, OwnerID: third}}, nil, ENOTFOUND},
		{"nothing at all: not found", worker, holder, nil, nil, ENOTFOUND},
		{"an analyst may not ask", Actor{UserID: 11, AgencyID: mine, Roles: []Role{RoleAnalyst}}, holder, []AccessCandidate{hidden}, nil, EFORBIDDEN},
		{"the system may not ask", SystemActor("test"), holder, []AccessCandidate{hidden}, nil, EFORBIDDEN},
		{"one's own agency holds it already", worker, mine, []AccessCandidate{{CaseID: 106, OwnerID: mine}}, nil, EINVALID},
		{"a share without sensitive fields does not cover a request for the whole case", worker, holder,
			[]AccessCandidate{{CaseID: 107, OwnerID: holder, Shares: []*Share{partial}}}, []int64{107}, ""},
		{"a share without sensitive fields covers a request for as much", worker, holder,
			[]AccessCandidate{{CaseID: 107, OwnerID: holder, Shares: []*Share{partial}}}, nil, ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scope := ShareWhole
			if strings.Contains(tt.name, "covers a request for as much") {
				scope = ShareWithoutSensitive
			}
			got, err := MayRequestAccess(tt.actor, tt.holder, scope, tt.candidates, now)
			if ErrorCode(err) != tt.code || !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, %v; want %v, code %q", got, err, tt.want, tt.code)
			}
		})
	}
	// A record that does not exist and one the actor may not name answer alike.
	_, a := MayRequestAccess(worker, holder, ShareWhole, nil, now)
	if a.Error() != NoRecordToRequest().Error() {
		t.Fatalf("got %v, want the one answer %v", a, NoRecordToRequest())
	}
}

func TestAccessRequestValidateNamesEachField(t *testing.T) {
	r := AccessRequest{Kind: "fax", Scope: "all"}
	err := r.Validate(time.Now(), nil, 5)
	for _, f := range []string{"case_reference", "value", "agency", "scope", "lawful_basis", "reason", "agreement_reason"} {
		if ErrorFields(err)[f] == "" {
			t.Errorf("no problem for %s in %v", f, err)
		}
	}
}

func TestCollectApprovalsMergesOldestFirstForSupervisorsOnly(t *testing.T) {
	t0 := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	src := func(list ...Approval) ApprovalSource {
		return func(ctx context.Context, a Actor) ([]Approval, error) { return list, nil }
	}
	sources := []ApprovalSource{
		src(Approval{Kind: ApproveShare, ID: 1, RequestedAt: t0.Add(2 * time.Hour)}),
		src(Approval{Kind: ApproveRoleChange, ID: 7, RequestedAt: t0}, Approval{Kind: ApproveRoleChange, ID: 8, RequestedAt: t0.Add(3 * time.Hour)}),
		src(Approval{Kind: ApproveClosure, ID: 3, RequestedAt: t0.Add(time.Hour)}),
	}
	sup := Actor{UserID: 1, AgencyID: 1, Roles: []Role{RoleSupervisor}}
	got, err := CollectApprovals(context.Background(), sup, sources)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, a := range got {
		ids = append(ids, a.ID)
	}
	if !slices.Equal(ids, []int64{7, 3, 1, 8}) {
		t.Fatalf("got %v, want oldest first: 7, 3, 1, 8", ids)
	}
	if c := CountApprovals(got); c[ApproveRoleChange] != 2 || c[ApproveShare] != 1 {
		t.Fatalf("got counts %v", c)
	}
	worker := Actor{UserID: 2, AgencyID: 1, Roles: []Role{RoleCaseworker}}
	if got, _ := CollectApprovals(context.Background(), worker, sources); len(got) != 0 {
		t.Fatalf("a caseworker got %v, want no queue", got)
	}
}

func TestAnAccessRequestNamesItsRecordExactlyOneWay(t *testing.T) {
	base := AccessRequest{CaseReference: "C-1", AgencyID: 1, Scope: ShareWhole, LawfulBasis: "consent", Reason: "Why", NoAgreement: "A one-off request"}
	tests := []struct {
		name string
		mod  func(r *AccessRequest)
		by   AccessBy
		ok   bool
	}{
		{"by an identifier", func(r *AccessRequest) { r.Kind, r.Value = LinkPhone, "07700 900123" }, AccessByIdentifier, true},
		{"by a possible match", func(r *AccessRequest) { r.MatchID = 7 }, AccessByMatch, true},
		{"by an s.45 notice", func(r *AccessRequest) { r.PersonID = 9 }, AccessByS45, true},
		{"by nothing", func(r *AccessRequest) {}, AccessByIdentifier, false},
		{"by a match and an identifier at once", func(r *AccessRequest) { r.MatchID, r.Kind, r.Value = 7, LinkPhone, "1" }, AccessByMatch, false},
		{"by a match and a person at once", func(r *AccessRequest) { r.MatchID, r.PersonID = 7, 9 }, AccessByMatch, false},
		{"by a match that is not a number", func(r *AccessRequest) { r.MatchID = -1 }, AccessByMatch, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.mod(&r)
			err := r.Validate(time.Now(), nil, 2)
			if (err == nil) != tt.ok || r.By() != tt.by {
				t.Fatalf("got %v, by %s; want ok %v, by %s", err, r.By(), tt.ok, tt.by)
			}
			if !tt.ok && ErrorFields(err)["value"] == "" {
				t.Fatalf("got %v, want the problem named on value", err)
			}
		})
	}
}

func TestDecliningAnAccessRequestNeedsAReason(t *testing.T) {
	access := &Share{Kind: ShareByRequest, Status: ShareRequested}
	offered := &Share{Kind: ShareByOwner, Status: ShareRequested}
	tests := []struct {
		name    string
		sh      *Share
		approve bool
		reason  string
		code    string
	}{
		{"approving needs no reason", access, true, "", ""},
		{"declining an access request without a reason is refused", access, false, "   ", EINVALID},
		{"declining an access request with a reason", access, false, "Not the same person", ""},
		{"declining a share the owner's staff asked for needs a reason too", offered, false, "", EINVALID},
		{"declining a share the owner's staff asked for with a reason", offered, false, "Not needed yet", ""},
		{"a decided request is not decided again", &Share{Kind: ShareByRequest, Status: ShareDeclined}, true, "", ECONFLICT},
		{"a reason too long is refused", access, false, strings.Repeat("x", MaxLongText+1), EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckShareDecision(tt.sh, tt.approve, tt.reason)
			if ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want code %q", err, tt.code)
			}
			if tt.code == EINVALID && ErrorFields(err)["reason"] == "" {
				t.Fatalf("got %v, want the problem named on reason", err)
			}
		})
	}
}

func TestOnlyCaseworkersListTheirOwnAccessRequests(t *testing.T) {
	for _, tt := range []struct {
		a    Actor
		code string
	}{
		{Actor{UserID: 1, AgencyID: 1, Roles: []Role{RoleCaseworker}}, ""},
		{Actor{UserID: 1, AgencyID: 1, Roles: []Role{RoleSupervisor}}, ""},
		{Actor{UserID: 1, AgencyID: 1, Roles: []Role{RoleAnalyst}}, EFORBIDDEN},
		{SystemActor("test"), EFORBIDDEN},
	} {
		if err := MayListOwnAccessRequests(tt.a); ErrorCode(err) != tt.code {
			t.Errorf("%v: got %v, want %q", tt.a.Roles, err, tt.code)
		}
	}
}

// An active share covers a request for the same case and agency asking no wider a
// scope for no longer; anything else is still worth asking for.
func TestShareCovers(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	active := func(scope ShareScope, until string) *Share {
		return &Share{ID: 1, CaseID: 5, AgencyID: 2, AgencyName: "Police", Scope: scope, Until: until, Status: ShareActive}
	}
	ask := func(scope ShareScope, until string) *Share {
		return &Share{ID: 2, CaseID: 5, AgencyID: 2, Scope: scope, Until: until, Status: ShareRequested}
	}
	tests := []struct {
		name     string
		active   *Share
		ask      *Share
		covers   bool
		mutation func(a, r *Share)
	}{
		{"the same terms", active(ShareWhole, ""), ask(ShareWhole, ""), true, nil},
		{"the whole case covers without sensitive fields", active(ShareWhole, ""), ask(ShareWithoutSensitive, ""), true, nil},
		{"without sensitive fields does not cover the whole case", active(ShareWithoutSensitive, ""), ask(ShareWhole, ""), false, nil},
		{"no end covers an end date", active(ShareWhole, ""), ask(ShareWhole, "2026-06-30"), true, nil},
		{"an end date does not cover no end", active(ShareWhole, "2026-06-30"), ask(ShareWhole, ""), false, nil},
		{"an end date covers an earlier one", active(ShareWhole, "2026-06-30"), ask(ShareWhole, "2026-05-01"), true, nil},
		{"an end date does not cover a later one", active(ShareWhole, "2026-06-30"), ask(ShareWhole, "2026-07-01"), false, nil},
		{"another agency", active(ShareWhole, ""), ask(ShareWhole, ""), false, func(a, r *Share) { r.AgencyID = 3 }},
		{"another case", active(ShareWhole, ""), ask(ShareWhole, ""), false, func(a, r *Share) { r.CaseID = 6 }},
		{"a share not active", active(ShareWhole, ""), ask(ShareWhole, ""), false, func(a, r *Share) { a.Status = ShareRevoked }},
		{"a share past its end", active(ShareWhole, "2026-03-13"), ask(ShareWhole, "2026-03-01"), false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.mutation != nil {
				tt.mutation(tt.active, tt.ask)
			}
			if got := tt.active.Covers(tt.ask, now); got != tt.covers {
				t.Fatalf("Covers = %v, want %v", got, tt.covers)
			}
			err := MayAskShare(tt.ask, []*Share{tt.active}, now)
			if (ErrorCode(err) == ECONFLICT) != tt.covers {
				t.Fatalf("MayAskShare = %v, want a conflict: %v", err, tt.covers)
			}
			if got := len(CoveredBy(tt.active, []*Share{tt.ask}, now)); got != map[bool]int{true: 1}[tt.covers] {
				t.Fatalf("CoveredBy found %d", got)
			}
		})
	}
}

// Declining any request needs a reason, whoever asked: the requester reads it.
func TestCheckShareDecisionNeedsAReasonToDecline(t *testing.T) {
	for _, kind := range []ShareKind{ShareByOwner, ShareByRequest} {
		sh := &Share{Kind: kind, Status: ShareRequested}
		if _, err := CheckShareDecision(sh, false, "  "); ErrorFields(err)["reason"] == "" {
			t.Fatalf("%s: a decline without a reason gave %v", kind, err)
		}
		if r, err := CheckShareDecision(sh, false, " Not needed "); err != nil || r != "Not needed" {
			t.Fatalf("%s: got %q, %v", kind, r, err)
		}
		if _, err := CheckShareDecision(sh, true, ""); err != nil {
			t.Fatalf("%s: approving needs no reason: %v", kind, err)
		}
		sh.Status = ShareCovered
		if _, err := CheckShareDecision(sh, false, "late"); ErrorCode(err) != ECONFLICT {
			t.Fatalf("%s: a request closed as covered decided again: %v", kind, err)
		}
	}
}
