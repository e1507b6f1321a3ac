package tropic

import (
	"os"
	"strings"
	"testing"
)

func TestParsePublicNotice(t *testing.T) {
	good, err := os.ReadFile("../demo/public_notice.json")
	if err != nil {
		t.Fatal(err)
	}
	n, err := ParsePublicNotice(good)
	if err != nil {
		t.Fatalf("the demo's notice: %v", err)
	}
	if n.DPO.Email != "dpo@demo.tropic.example" || len(n.LawfulBases) != 3 || n.Accessible.ComplianceLabel() != "partially compliant" {
		t.Errorf("parsed %+v", n)
	}
	tests := []struct {
		name, from, to, field string
	}{
		{"An unknown field is refused", `"ico_registration"`, `"ico_registraton"`, ""},
		{"A bad e-mail address names its field", `"dpo@demo.tropic.example"`, `"the DPO"`, "dpo.email"},
		{"A missing controller name is named", `"Hertfordshire County Council, for the Hertfordshire Anti-Slavery Partnership (demo)"`, `""`, "controller.name"},
		{"A status that is none of the three is named", `"status": "partial"`, `"status": "mostly"`, "accessibility.status"},
		{"A date that is not one is named", `"prepared_on": "2026-09-01"`, `"prepared_on": "1 Sept"`, "accessibility.prepared_on"},
		{"A partial status with no known problems is named", `"known_problems": [`, `"known_problemz": [`, ""},
		{"A control character is named", `"Publishing statistics"`, `"Publishing\u0007 statistics"`, "lawful_bases[2].purpose"},
		{"No reply time is named", `"response_days": 10`, `"response_days": 0`, "accessibility.response_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := strings.Replace(string(good), tt.from, tt.to, 1)
			if b == string(good) {
				t.Fatalf("the change %q did not apply", tt.from)
			}
			_, err := ParsePublicNotice([]byte(b))
			if ErrorCode(err) != EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
			if tt.field != "" && ErrorFields(err)[tt.field] == "" {
				t.Errorf("no problem on %s: %v", tt.field, ErrorFields(err))
			}
		})
	}
	if _, err := ParsePublicNotice(append(good, []byte(`{}`)...)); ErrorCode(err) != EINVALID {
		t.Errorf("two JSON values: %v", err)
	}
}

func FuzzParsePublicNotice(f *testing.F) {
	good, err := os.ReadFile("../demo/public_notice.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"controller":{"name":"x","email":"a@b.c"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := ParsePublicNotice(b)
		if err == nil && (n == nil || n.Controller.Name == "" || len(n.LawfulBases) == 0) {
			t.Fatalf("accepted an incomplete notice: %+v", n)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Fatalf("error %v is not EINVALID", err)
		}
	})
}
