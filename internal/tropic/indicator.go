package tropic

// Indicator is a sign of modern slavery a reporter noticed, from the Modern Slavery
// Helpline's "spot the signs" headings, worded for the public.
type Indicator string

// IndicatorGroup is a heading of the checklist.
type IndicatorGroup struct {
	Heading    string
	Indicators []IndicatorInfo
}

// IndicatorInfo describes one indicator.
type IndicatorInfo struct {
	Key    Indicator
	Label  string // plain words for the public form
	Urgent bool   // on its own, makes a report urgent
}

// IndicatorGroups is the checklist in the order the form shows it.
var IndicatorGroups = []IndicatorGroup{
	{"How people look", []IndicatorInfo{
		{"injuries", "Injuries, or signs of being hurt", true},
		{"malnourished", "Looking hungry or underfed", false},
		{"unkempt", "Looking unwashed or wearing the same clothes every day", false},
		{"withdrawn", "Seeming withdrawn, frightened or anxious", false},
	}},
	{"Control and isolation", []IndicatorInfo{
		{"rarely_alone", "Rarely alone, or always with someone who seems to be in charge", false},
		{"someone_speaks_for_them", "Someone else speaks for them or answers for them", false},
		{"unfamiliar_with_area", "Not knowing the local area or their own address", false},
		{"locked_in", "Locked in, or not allowed to leave", true},
		{"threats_or_violence", "Threats or violence against them or their family", true},
		{"fear_of_authorities", "Afraid of the police, of being deported, or of someone", false},
	}},
	{"Where they live", []IndicatorInfo{
		{"overcrowded", "Many people living in one house or flat", false},
		{"live_where_work", "Living where they work", false},
		{"windows_covered", "Windows covered or barred", false},
		{"moved_at_night", "People dropped off or collected very early or late at night", false},
	}},
	{"Money, papers and belongings", []IndicatorInfo{
		{"documents_withheld", "Someone else holds their passport or ID", true},
		{"few_possessions", "Very few belongings", false},
		{"unpaid_or_little_pay", "Not paid, or paid very little", false},
		{"debt_to_employer", "Owing money to an employer or the person who brought them here", false},
	}},
	{"Work", []IndicatorInfo{
		{"excessive_hours", "Working very long hours, with few or no breaks", false},
		{"no_safety_equipment", "No safety equipment or suitable clothing for the job", false},
	}},
	{"Children", []IndicatorInfo{
		{"child_with_unknown_adult", "A child cared for by an adult who is not their parent or guardian", true},
		{"unrelated_children_together", "Several unrelated children at one address", true},
		{"missing_school", "A child missing school", true},
		{"child_travelling_with_non_relatives", "A child travelling with adults who are not family", true},
		{"child_gang_association", "A child involved with gangs or carrying drugs or money", true},
	}},
}

var indicatorIndex = func() map[Indicator]IndicatorInfo {
	m := map[Indicator]IndicatorInfo{}
	for _, g := range IndicatorGroups {
		for _, i := range g.Indicators {
			m[i.Key] = i
		}
	}
	return m
}()

// Valid reports whether i is on the checklist.
func (i Indicator) Valid() bool { _, ok := indicatorIndex[i]; return ok }

// Info returns the indicator's description.
func (i Indicator) Info() IndicatorInfo { return indicatorIndex[i] }

// Label is the indicator's plain-words label.
func (i Indicator) Label() string {
	if info, ok := indicatorIndex[i]; ok {
		return info.Label
	}
	return string(i)
}
