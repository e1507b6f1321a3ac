package tropic_test

import (
	"strings"
	"testing"

	"tropic/internal/tropic"
)

func TestResendReportKeepsChangedAnswersOrRefusesThem(t *testing.T) {
	base := func(c tropic.Channel) *tropic.Report {
		r := &tropic.Report{Channel: c, Description: "Men at the car wash", InDanger: tropic.AnswerNo,
			Indicators: []tropic.Indicator{"excessive_hours", "live_where_work"}, Reporter: tropic.Reporter{Anonymous: true}, Language: "en"}
		r.Urgency, r.UrgencyReason = r.AssessUrgency()
		return r
	}
	for _, tc := range []struct {
		name        string
		channel     tropic.Channel
		edit        func(r *tropic.Report)
		wantChanges []string
		wantUrgency tropic.Urgency
		wantErr     bool
	}{
		{"the same answers change nothing", tropic.ChannelWeb, func(*tropic.Report) {}, nil, "", false},
		{"the same signs in another order are the same", tropic.ChannelWeb, func(r *tropic.Report) {
			r.Indicators = []tropic.Indicator{"live_where_work", "excessive_hours"}
		}, nil, "", false},
		{"someone in danger raises it to an emergency", tropic.ChannelWeb, func(r *tropic.Report) { r.InDanger = tropic.AnswerYes },
			[]string{"Anyone in immediate danger: Yes"}, tropic.UrgencyEmergency, false},
		{"children make it urgent", tropic.ChannelWeb, func(r *tropic.Report) { r.People.ChildrenInvolved = tropic.AnswerYes },
			[]string{"Children involved: Yes"}, tropic.UrgencyUrgent, false},
		{"a cleared answer is named", tropic.ChannelWeb, func(r *tropic.Report) { r.Description = "" },
			[]string{"What you saw: (now left blank)"}, "", false},
		{"a phone number added", tropic.ChannelWeb, func(r *tropic.Report) { r.Phones = []tropic.Phone{{Number: "07700 900123"}} },
			[]string{"Phone numbers: 07700 900123"}, "", false},
		{"the API's same body is the first report", tropic.ChannelHelpline, func(*tropic.Report) {}, nil, "", false},
		{"the API's other body is refused", tropic.ChannelHelpline, func(r *tropic.Report) { r.InDanger = tropic.AnswerYes }, nil, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stored, again := base(tc.channel), base(tc.channel)
			tc.edit(again)
			got, err := tropic.ResendReport(stored, again)
			if tc.wantErr {
				if tropic.ErrorCode(err) != tropic.EINVALID || tropic.ErrorFields(err)["form_key"] == "" {
					t.Fatalf("got %v, want a problem with form_key", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got.Changes, "|") != strings.Join(tc.wantChanges, "|") || got.Urgency != tc.wantUrgency {
				t.Fatalf("got changes %q urgency %q, want %q %q", got.Changes, got.Urgency, tc.wantChanges, tc.wantUrgency)
			}
			if len(tc.wantChanges) > 0 && !strings.Contains(got.Note, tc.wantChanges[0]) {
				t.Errorf("note %q lacks the change", got.Note)
			}
		})
	}

	t.Run("urgency is never lowered", func(t *testing.T) {
		stored, again := base(tropic.ChannelWeb), base(tropic.ChannelWeb)
		stored.InDanger = tropic.AnswerYes
		stored.Urgency, stored.UrgencyReason = stored.AssessUrgency()
		if got, _ := tropic.ResendReport(stored, again); got.Urgency != "" || len(got.Changes) != 1 {
			t.Errorf("got %+v, want the change kept and the urgency left", got)
		}
	})
}
