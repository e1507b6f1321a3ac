package tropic_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"tropic/internal/tropic"
)

func TestTheBroadStatusSaysOnlyOneOfFourThings(t *testing.T) {
	tests := []struct {
		status  tropic.ReportStatus
		claimed bool
		want    tropic.BroadStatus
	}{
		{tropic.ReportNew, false, tropic.BroadReceived},
		{tropic.ReportNew, true, tropic.BroadBeingLookedAt},
		{tropic.ReportLinkedToCase, false, tropic.BroadBeingLookedAt},
		{tropic.ReportPassedToAgency, true, tropic.BroadPassedToPartner},
		{tropic.ReportNoFurtherAction, false, tropic.BroadClosed},
		{tropic.ReportDuplicate, true, tropic.BroadClosed},
	}
	for _, tt := range tests {
		if got := tropic.BroadStatusOf(tt.status, tt.claimed); got != tt.want {
			t.Errorf("%s (claimed %v): %s, want %s", tt.status, tt.claimed, got, tt.want)
		}
	}
}

func TestOnlyReadersOfTheWholeOrPassedReportMayMessage(t *testing.T) {
	for sight, want := range map[tropic.ReportSight]string{
		tropic.ReportSightNone:             tropic.ENOTFOUND,
		tropic.ReportSightWithoutSensitive: tropic.EFORBIDDEN,
		tropic.ReportSightWithoutContact:   "",
		tropic.ReportSightWhole:            "",
	} {
		if got := tropic.ErrorCode(tropic.MayMessageReporter(sight)); got != want {
			t.Errorf("sight %d: %q, want %q", sight, got, want)
		}
	}
}

func TestTheReportersEmailIsTakenFromWhatTheyTyped(t *testing.T) {
	for contact, want := range map[string]string{
		"jo@example.org":                       "jo@example.org",
		"jo@example.org, after 6pm":            "jo@example.org",
		"Text 07700 900123 or jo@example.org.": "jo@example.org",
		"07700 900123, text only":              "",
		"jo at example dot org":                "",
		"@example.org":                         "",
		"jo@localhost":                         "",
	} {
		if got := tropic.ReporterEmail(tropic.Reporter{Contact: contact}); got != want {
			t.Errorf("%q: %q, want %q", contact, got, want)
		}
	}
	if got := tropic.ReporterEmail(tropic.Reporter{Anonymous: true, Contact: "jo@example.org"}); got != "" {
		t.Errorf("anonymous: %q, want none", got)
	}
}

// FuzzCheckMessage: whatever is typed, a message is accepted only as trimmed valid
// text within the limit, or refused with a problem named by the field.
func FuzzCheckMessage(f *testing.F) {
	for _, s := range []string{"", "  hi  ", "a\r\nb", strings.Repeat("é", 2001), "\x00", "\u202e", "\xff"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, reply bool) {
		field := "message"
		if reply {
			field = "reply"
		}
		var p tropic.Problems
		got := tropic.CheckMessage(&p, field, text)
		if err := p.Err(); err != nil {
			if tropic.ErrorFields(err)[field] == "" {
				t.Fatalf("%q refused without naming %s: %v", text, field, err)
			}
			return
		}
		if got == "" || got != strings.TrimSpace(got) || !utf8.ValidString(got) || utf8.RuneCountInString(got) > tropic.MaxMessage {
			t.Fatalf("%q accepted as %q", text, got)
		}
	})
}

// FuzzReporterEmail: what is found is always one address as typed, never more.
func FuzzReporterEmail(f *testing.F) {
	for _, s := range []string{"jo@example.org, after 6pm", "a@b.c d@e.f", "<jo@example.org>", "\"a b\"@example.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, contact string) {
		got := tropic.ReporterEmail(tropic.Reporter{Contact: contact})
		if got == "" {
			return
		}
		if !strings.Contains(contact, got) || strings.ContainsAny(got, " \t\n,;<>") || strings.Count(got, "@") < 1 {
			t.Fatalf("%q gave %q", contact, got)
		}
	})
}
