package tropic

import "testing"

// Who may change a referral, as the pages offer it and the store refuses it: one rule.
func TestOnlyTheReferringAgencyChangesAReferralAndOnlyWhileItStands(t *testing.T) {
	dtn := func(acc ReferralAccess, withdrawn string) *Referral {
		return &Referral{Route: RouteDtN, Access: acc, WithdrawnOn: withdrawn, AgencyName: "Police"}
	}
	nrm := func(acc ReferralAccess, withdrawn, disqualified string) *Referral {
		return &Referral{Route: RouteNRM, Access: acc, WithdrawnOn: withdrawn, DisqualifiedOn: disqualified, AgencyName: "Council"}
	}
	for _, c := range []struct {
		name string
		r    *Referral
		want string
	}{
		{"the maker's open report", dtn(ReferralDecide, ""), ""},
		{"a reader's report", dtn(ReferralRead, ""), EFORBIDDEN},
		{"a withdrawn report", dtn(ReferralDecide, "2026-11-01"), ENOTFOUND},
		{"an NRM referral", nrm(ReferralDecide, "", ""), ENOTFOUND},
	} {
		if got := ErrorCode(c.r.MayAmendDutyToNotify("withdraw it")); got != c.want {
			t.Errorf("%s: MayAmendDutyToNotify = %q, want %q", c.name, got, c.want)
		}
	}
	if err := dtn(ReferralRead, "").MayChange("withdraw it"); ErrorMessage(err) != "Only Police, who made this report, can withdraw it." {
		t.Errorf("the refusal reads %q", ErrorMessage(err))
	}
	if err := nrm(ReferralRead, "", "").MayChange("record its decisions"); ErrorMessage(err) != "Only Council, who made this referral, can record its decisions." {
		t.Errorf("the refusal reads %q", ErrorMessage(err))
	}
	for _, c := range []struct {
		name string
		r    *Referral
		want bool
	}{
		{"the maker's open referral", nrm(ReferralDecide, "", ""), true},
		{"a reader's referral", nrm(ReferralRead, "", ""), false},
		{"a withdrawn referral", nrm(ReferralDecide, "2026-11-01", ""), false},
		{"a disqualified referral", nrm(ReferralDecide, "", "2026-11-01"), false},
		{"a Duty to Notify report", dtn(ReferralDecide, ""), false},
	} {
		if got := c.r.MayRecordDecisions(); got != c.want {
			t.Errorf("%s: MayRecordDecisions = %v, want %v", c.name, got, c.want)
		}
	}
}
