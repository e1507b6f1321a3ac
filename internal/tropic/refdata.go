package tropic

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The partnership's reference data kept as data (issue 13 item 3), besides districts
// and bank holidays: the answers to "how did you hear about this service", the
// disclosure threshold of published statistics, and the urgency targets of triage and
// of agencies acknowledging reports. A partnership administrator edits them in the
// browser; every change keeps who, when, the old and the new value.

// Setting names: the settings kept as one value each.
const (
	SettingDisclosureThreshold = "disclosure_threshold"
	SettingTriageTargets       = "triage_targets"
	SettingAcknowledgeTargets  = "acknowledge_targets"
)

// Bounds of the disclosure threshold: below 3 a "fewer than" hides next to nothing;
// above 20 most of a small partnership's counts would vanish.
const (
	MinDisclosureThreshold = 3
	MaxDisclosureThreshold = 20
)

// AuditReferenceChanged is the audit action of any change to the reference data kept
// here (districts and bank holidays have their own).
const AuditReferenceChanged = "reference.changed"

// Settings are the settings in force: what is stored, or else the defaults (the
// server's flags, or the built-in values).
type Settings struct {
	DisclosureThreshold int
	TriageTargets       TriageTargets
	AcknowledgeTargets  TriageTargets
	// Stored names the settings changed in the browser (or by the command line), which
	// stand whatever the flags say.
	Stored map[string]bool
}

// DefaultSettings are the built-in settings.
func DefaultSettings() Settings {
	return Settings{DisclosureThreshold: DefaultDisclosureThreshold, TriageTargets: DefaultTriageTargets,
		AcknowledgeTargets: DefaultAcknowledgeTargets}
}

// WithDefaults fills what s leaves out from the built-in settings.
func (s Settings) WithDefaults() Settings {
	d := DefaultSettings()
	if s.DisclosureThreshold != 0 {
		d.DisclosureThreshold = s.DisclosureThreshold
	}
	if s.TriageTargets != (TriageTargets{}) {
		d.TriageTargets = s.TriageTargets
	}
	if s.AcknowledgeTargets != (TriageTargets{}) {
		d.AcknowledgeTargets = s.AcknowledgeTargets
	}
	d.Stored = s.Stored
	return d
}

// Value is the setting as it is stored and shown in the history.
func (s Settings) Value(name string) string {
	switch name {
	case SettingDisclosureThreshold:
		return strconv.Itoa(s.DisclosureThreshold)
	case SettingTriageTargets:
		return s.TriageTargets.String()
	case SettingAcknowledgeTargets:
		return s.AcknowledgeTargets.String()
	}
	return ""
}

// Apply sets the setting name from its stored value; a value that no longer reads
// (it cannot be written so) leaves the setting as it was.
func (s *Settings) Apply(name, value string) {
	v, err := NormaliseSetting(name, value)
	if err != nil {
		return
	}
	switch name {
	case SettingDisclosureThreshold:
		s.DisclosureThreshold, _ = strconv.Atoi(v)
	case SettingTriageTargets:
		s.TriageTargets, _ = ParseTriageTargets(v)
	case SettingAcknowledgeTargets:
		s.AcknowledgeTargets, _ = ParseTargets(v, DefaultAcknowledgeTargets)
	}
	if s.Stored == nil {
		s.Stored = map[string]bool{}
	}
	s.Stored[name] = true
}

// NormaliseSetting checks a new value of setting name and returns it as stored. A
// problem is reported on the setting's name, which the page uses as its field.
func NormaliseSetting(name, value string) (string, error) {
	value = strings.TrimSpace(value)
	var p Problems
	switch name {
	case SettingDisclosureThreshold:
		n, err := strconv.Atoi(value)
		if err != nil || n < MinDisclosureThreshold || n > MaxDisclosureThreshold {
			p.Add(name, "Enter the disclosure threshold as a whole number from "+strconv.Itoa(MinDisclosureThreshold)+
				" to "+strconv.Itoa(MaxDisclosureThreshold))
			return "", p.Err()
		}
		return strconv.Itoa(n), nil
	case SettingTriageTargets, SettingAcknowledgeTargets:
		defaults := DefaultTriageTargets
		if name == SettingAcknowledgeTargets {
			defaults = DefaultAcknowledgeTargets
		}
		t, err := ParseTargets(value, defaults)
		if err != nil {
			p.Add(name, SettingLabel(name)+": "+err.Error())
			return "", p.Err()
		}
		return t.String(), nil
	}
	return "", Errorf(ENOTFOUND, "There is no such setting.")
}

// SettingLabel names a setting, or a "how did you hear" option's change, for people.
func SettingLabel(name string) string {
	switch name {
	case SettingDisclosureThreshold:
		return "Disclosure threshold"
	case SettingTriageTargets:
		return "Triage targets"
	case SettingAcknowledgeTargets:
		return "Acknowledgement targets"
	}
	if code, ok := strings.CutPrefix(name, howHeardPrefix); ok {
		return "\"How did you hear\" option " + code
	}
	return name
}

// howHeardPrefix begins the name under which a "how did you hear" option's changes are
// kept in the history: "how_heard:news".
const howHeardPrefix = "how_heard:"

// HowHeardChange is the history name of changes to the option code.
func HowHeardChange(code string) string { return howHeardPrefix + code }

// HowHeardChangeCode is the code of the option whose change the history name
// records, if it is a "how did you hear" option's.
func HowHeardChangeCode(name string) (string, bool) { return strings.CutPrefix(name, howHeardPrefix) }

// HowHeardOption is one answer to "how did you hear about this service". Its code is
// what reports store, and never changes, so that stored reports keep their meaning; an
// option no longer offered is retired, not deleted. Live campaigns are offered besides
// these, as "campaign:SLUG".
type HowHeardOption struct {
	Code     string
	Label    string
	Retired  bool // no longer offered nor accepted on new reports; old reports keep it
	Position int  // order on the forms
}

var howHeardCodeRE = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)

// Validate checks a new or changed option.
func (o *HowHeardOption) Validate() error {
	var p Problems
	o.Code, o.Label = strings.TrimSpace(strings.ToLower(o.Code)), strings.TrimSpace(o.Label)
	if !howHeardCodeRE.MatchString(o.Code) || len(o.Code) > 40 || strings.HasPrefix(o.Code, "campaign") {
		p.Add("code", "Enter a code of lower-case letters, digits and underscores, like local_radio (not starting with campaign)")
	}
	if o.Label == "" {
		p.Add("label", "Enter the answer as the form shows it, like Local radio")
	}
	CheckText(&p, "label", "The answer", o.Label, 200)
	return p.Err()
}

// HistoryValue is the option as the history shows it.
func (o HowHeardOption) HistoryValue() string {
	if o.Retired {
		return o.Label + " (retired)"
	}
	return o.Label
}

// HowHeardLabel is the answer to "how did you hear" stored as code, in words: the
// option's label (retired or not), or code itself if no option has it.
func HowHeardLabel(code string, options []HowHeardOption) string {
	for _, o := range options {
		if o.Code == code {
			return o.Label
		}
	}
	return code
}

// checkHowHeard adds a problem unless v is empty, a campaign's, or an option offered.
func checkHowHeard(p *Problems, v string, options []HowHeardOption) {
	if v == "" || strings.HasPrefix(v, "campaign:") {
		return
	}
	for _, o := range options {
		if o.Code == v && !o.Retired {
			return
		}
	}
	p.Add("how_heard", "Choose how you heard about this service from the list")
}

// ReferenceChange is one change to the reference data kept here: who, when, the old
// and the new value.
type ReferenceChange struct {
	Name      string // a Setting* name, or HowHeardChange(code)
	Old, New  string // "" for an option added
	At        time.Time
	ActorName string // the user's name, or the system actor's label
}

// ReferenceDataService keeps the settings and the "how did you hear" options.
type ReferenceDataService interface {
	// FindSettings returns the settings in force: stored, or else the service's defaults.
	FindSettings(ctx context.Context) (Settings, error)
	// SetSetting changes a setting (NormaliseSetting checks the value) and records the
	// change; the same value again changes nothing.
	SetSetting(ctx context.Context, actor Actor, name, value string) error
	// FindHowHeardOptions lists every option, retired too, in their order.
	FindHowHeardOptions(ctx context.Context) ([]HowHeardOption, error)
	// AddHowHeardOption adds an option at the end; ECONFLICT if its code exists.
	AddHowHeardOption(ctx context.Context, actor Actor, o HowHeardOption) error
	// UpdateHowHeardOption changes an option's label and whether it is retired.
	UpdateHowHeardOption(ctx context.Context, actor Actor, o HowHeardOption) error
	// FindReferenceChanges lists the changes, newest first.
	FindReferenceChanges(ctx context.Context) ([]ReferenceChange, error)
}
