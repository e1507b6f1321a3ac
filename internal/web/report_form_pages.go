package web

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The report form's answers travel as form fields from page to page: the form posts
// them to "Check your answers", which holds them in hidden fields, which post them to
// be sent or back to the form to change. decodeReportForm reads them, wherever they
// come from; encodeReportForm writes them back.

// reportMinRows is how many rows of vehicles, phone numbers and businesses the call
// handlers' form shows at least: one more empty row appears each time it is shown
// again, up to tropic.MaxListItems. The public form has "Add another" buttons instead.
const reportMinRows = 3

// reportHoneypot names the field that people never see and bots fill in.
const reportHoneypot = "website"

// decodeReportForm reads the report form. It reports only what the report cannot
// hold as typed (a date in three parts, a number, a choice that is not one); every
// other check is Report.Validate's, shared with the API. Lists are read up to
// tropic.MaxListItems rows, all the form can show.
func decodeReportForm(v url.Values) (*tropic.Report, string, tropic.Problems) {
	var p tropic.Problems
	// Browsers send line breaks as CRLF; keep them as one character, as the character
	// count counts them, so that a report reads the same however often it goes round.
	get := func(name string) string { return lineBreaks.Replace(v.Get(name)) }

	r := &tropic.Report{Channel: tropic.ChannelWeb}
	r.Description = get("description")
	r.InDanger = tropic.YesNoUnsure(get("in_danger"))
	r.Location = tropic.Location{Address: get("address"), Postcode: get("postcode"), District: get("district")}
	seenOn, msg := decodeReportDate(get("seen_on_day"), get("seen_on_month"), get("seen_on_year"))
	if msg != "" {
		p.Add("seen_on", msg)
	}
	r.SeenOn = seenOn
	r.SeenWhen = get("seen_when")

	for _, t := range v["exploitation"] {
		r.Exploitation.Types = append(r.Exploitation.Types, tropic.ExploitationType(t))
	}
	if get("county_lines") != "" {
		// County lines is criminal exploitation, whether or not that box was ticked too.
		r.Exploitation.CountyLines = true
		r.Exploitation.Types = append(r.Exploitation.Types, tropic.ExploitCriminal)
	}
	for _, i := range v["indicators"] {
		r.Indicators = append(r.Indicators, tropic.Indicator(i))
	}

	if n := strings.TrimSpace(get("people_count")); n != "" {
		count, ok := tropic.ParsePeopleCount(n)
		switch {
		case !ok:
			p.Add("people_count", "Enter the number of people, like 4 or about 6, or leave it blank")
		case count < 1 || count > tropic.MaxPeopleCount:
			p.Add("people_count", fmt.Sprintf("The number of people must be between 1 and %d, or left blank", tropic.MaxPeopleCount))
		default:
			r.People.Count = count
		}
	}
	r.People.ChildrenInvolved = tropic.YesNoUnsure(get("children_involved"))
	r.People.Description = get("people_description")

	for i := 1; i <= tropic.MaxListItems; i++ {
		reg, desc := get(fmt.Sprintf("vehicle_%d_registration", i)), get(fmt.Sprintf("vehicle_%d_description", i))
		if strings.TrimSpace(reg) != "" || strings.TrimSpace(desc) != "" {
			r.Vehicles = append(r.Vehicles, tropic.Vehicle{Registration: reg, Description: desc})
		}
		if n := get(fmt.Sprintf("phone_%d", i)); strings.TrimSpace(n) != "" {
			r.Phones = append(r.Phones, tropic.Phone{Number: n})
		}
		if b := get(fmt.Sprintf("business_%d", i)); strings.TrimSpace(b) != "" {
			r.Businesses = append(r.Businesses, b)
		}
	}

	rep := &r.Reporter
	rep.Name, rep.Contact = get("reporter_name"), get("reporter_contact")
	rep.NotifyConsent = get("reporter_notify_consent") == "yes"
	switch get("reporter_anonymous") {
	case "yes":
		rep.Anonymous = true
	case "no":
	case "":
		// Not answered: whoever typed a name or a way to contact them meant to give them.
		rep.Anonymous = strings.TrimSpace(rep.Name) == "" && strings.TrimSpace(rep.Contact) == ""
	default:
		p.Add("reporter_anonymous", "Choose whether to stay anonymous or give your details")
	}
	rep.Relationship = tropic.Relationship(get("reporter_relationship"))
	r.HowHeard = get("how_heard")
	r.Language = get("language")
	return r, get("form_key"), p
}

var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

var monthNames = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// decodeReportDate reads the GOV.UK date input: all three parts or none. Months may
// be numbers or names ("11", "Nov", "November").
func decodeReportDate(day, month, year string) (string, string) {
	day, month, year = strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year)
	if day == "" && month == "" && year == "" {
		return "", ""
	}
	var missing []string
	for _, part := range []struct{ name, value string }{{"day", day}, {"month", month}, {"year", year}} {
		if part.value == "" {
			missing = append(missing, part.name)
		}
	}
	if len(missing) > 0 {
		return "", "The date you saw it must include a " + strings.Join(missing, " and ")
	}
	const notReal = "The date you saw it must be a real date, like 20 11 2026"
	d, err := strconv.Atoi(day)
	if err != nil || len(day) > 2 {
		return "", notReal
	}
	m, err := strconv.Atoi(month)
	if err != nil || len(month) > 2 {
		m = 0
		if lower := strings.ToLower(month); len(lower) >= 3 && len(lower) <= 9 {
			for i, name := range monthNames {
				if strings.HasPrefix(lower, name) && strings.HasPrefix(strings.ToLower(time.Month(i+1).String()), lower) {
					m = i + 1
				}
			}
		}
		if m == 0 {
			return "", notReal
		}
	}
	if len(year) != 4 {
		return "", "The year you saw it must have 4 numbers, like 2026"
	}
	y, err := strconv.Atoi(year)
	if err != nil || y < 1 {
		return "", notReal
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || m < 1 || m > 12 || t.Day() != d || int(t.Month()) != m {
		return "", notReal
	}
	return t.Format(time.DateOnly), ""
}

// encodeReportForm writes a valid report back as the form's fields, for the hidden
// fields of "Check your answers". It is decodeReportForm's inverse.
func encodeReportForm(r *tropic.Report, formKey string) url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	set("form_key", formKey)
	set("description", r.Description)
	set("in_danger", string(r.InDanger))
	set("address", r.Location.Address)
	set("postcode", r.Location.Postcode)
	set("district", r.Location.District)
	if d, err := time.Parse(time.DateOnly, r.SeenOn); err == nil {
		set("seen_on_day", strconv.Itoa(d.Day()))
		set("seen_on_month", strconv.Itoa(int(d.Month())))
		set("seen_on_year", strconv.Itoa(d.Year()))
	}
	set("seen_when", r.SeenWhen)
	for _, t := range r.Exploitation.Types {
		v.Add("exploitation", string(t))
	}
	if r.Exploitation.CountyLines {
		v.Set("county_lines", "yes")
	}
	for _, i := range r.Indicators {
		v.Add("indicators", string(i))
	}
	if r.People.Count > 0 {
		v.Set("people_count", strconv.Itoa(r.People.Count))
	}
	set("children_involved", string(r.People.ChildrenInvolved))
	set("people_description", r.People.Description)
	for i, veh := range r.Vehicles {
		set(fmt.Sprintf("vehicle_%d_registration", i+1), veh.Registration)
		set(fmt.Sprintf("vehicle_%d_description", i+1), veh.Description)
	}
	for i, ph := range r.Phones {
		set(fmt.Sprintf("phone_%d", i+1), ph.Number)
	}
	for i, b := range r.Businesses {
		set(fmt.Sprintf("business_%d", i+1), b)
	}
	if r.Reporter.Anonymous {
		v.Set("reporter_anonymous", "yes")
	} else {
		v.Set("reporter_anonymous", "no")
		set("reporter_name", r.Reporter.Name)
		set("reporter_contact", r.Reporter.Contact)
		if r.Reporter.NotifyConsent {
			v.Set("reporter_notify_consent", "yes")
		}
	}
	set("reporter_relationship", string(r.Reporter.Relationship))
	set("how_heard", r.HowHeard)
	set("language", r.Language)
	return v
}

// reportFieldOrder is the order of the form's fields on the page, for the error summary.
func reportFieldOrder() []string {
	order := []string{"description", "in_danger", "address", "postcode", "district", "seen_on", "seen_when",
		"exploitation", "indicators", "people_count", "children_involved", "people_description", "vehicles"}
	for i := 1; i <= tropic.MaxListItems; i++ {
		order = append(order, fmt.Sprintf("vehicle_%d_registration", i), fmt.Sprintf("vehicle_%d_description", i))
	}
	order = append(order, "phones")
	for i := 1; i <= tropic.MaxListItems; i++ {
		order = append(order, fmt.Sprintf("phone_%d", i))
	}
	order = append(order, "businesses")
	for i := 1; i <= tropic.MaxListItems; i++ {
		order = append(order, fmt.Sprintf("business_%d", i))
	}
	return append(order, "reporter_anonymous", "reporter_name", "reporter_contact", "reporter_notify_consent", "reporter_relationship", "how_heard", "language", "channel")
}

// reportForm is a decoded and validated report form.
type reportForm struct {
	report    *tropic.Report
	formKey   string
	values    url.Values // as posted: the date's parts and the number stay as typed
	districts []tropic.District
	howHeard  []tropic.HowHeardOption // for the answer in words on the check page
	errors    []FieldError            // in page order; none when the report is valid
	self      bool                    // the short route for the person it is happening to
	// addAnother: the public form shows one row of vehicles, phones and businesses,
	// and an "Add another" button that posts the form back with one more row.
	addAnother bool
}

// encoded is the form's answers as fields, keeping the route they came by.
func (f *reportForm) encoded() url.Values {
	v := encodeReportForm(f.report, f.formKey)
	if f.self {
		v.Set("route", "self")
	}
	return v
}

// selfFormWords puts the questions of the route for the person it is happening to,
// and the words of their errors, in the second person.
func selfFormWords(p *reportFormPage) {
	p.InDanger.Legend = p.T("self.in_danger")
	p.InDanger.Hint = p.T("self.in_danger_hint")
	for i, fe := range p.Errors {
		if fe.Field == "description" && p.R.Description == "" {
			p.Errors[i].Message = p.T("self.description_required")
		}
	}
}

// readReportForm decodes v and validates the report as the store will.
func (s *Server) readReportForm(ctx context.Context, v url.Values) (*reportForm, error) {
	r, key, problems := decodeReportForm(v)
	districts, err := s.deps.Reports.FindDistricts(ctx)
	if err != nil {
		return nil, err
	}
	howHeard, err := s.howHeardOptions(ctx)
	if err != nil {
		return nil, err
	}
	f := &reportForm{report: r, formKey: key, values: v, districts: districts, howHeard: howHeard, self: v.Get("route") == "self"}
	if f.self {
		// The route is for the person it is happening to, whatever the fields say.
		r.Reporter.Relationship = tropic.RelationshipSelf
	}
	fields := map[string]string{}
	if err := problems.Err(); err != nil {
		fields = tropic.ErrorFields(err) // a copy, ours to add to
	}
	for name, msg := range tropic.ErrorFields(r.Validate(districts, howHeard, s.phoneParser(), s.now())) {
		if _, ok := fields[name]; !ok {
			fields[name] = msg
		}
	}
	// Validate puts "en" for a language not given; the form shows what was typed.
	if strings.TrimSpace(v.Get("language")) == "" {
		r.Language = ""
	}
	if len(fields) > 0 {
		f.errors = errorsFrom(&tropic.Error{Code: tropic.EINVALID, Fields: fields}, reportFieldOrder()...)
	}
	return f, nil
}

// phoneParser is the deployment's phone-number parser; without one, no number passes.
func (s *Server) phoneParser() tropic.PhoneParser {
	if s.deps.Phones != nil {
		return s.deps.Phones
	}
	return func(string) (string, error) { return "", fmt.Errorf("no phone parser") }
}

// reportHidden is one hidden field of a page that carries the answers.
type reportHidden struct{ Name, Value string }

// reportHiddenFields lists the answers as hidden fields, in a stable order.
func reportHiddenFields(v url.Values) []reportHidden {
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []reportHidden
	for _, name := range names {
		for _, value := range v[name] {
			out = append(out, reportHidden{name, value})
		}
	}
	return out
}

// reportChoice is one radio button or checkbox.
type reportChoice struct {
	ID, Value, Label, Hint string
	HintHTML               template.HTML // a hint with links (a tel: number), instead of Hint
	Checked                bool
	Divider                bool // an "or" comes before it
	Exclusive              bool // unticks the others (GOV.UK "none of these")
}

// reportChoices is a group of radios or checkboxes in its fieldset.
type reportChoices struct {
	Name, Legend, Hint, Error string
	ErrWord, OrWord           string // "Error:" and "or" in the page's language (English when empty)
	Heading                   bool   // the legend is the section's heading
	Checkbox                  bool
	Small                     bool
	Options                   []reportChoice
}

// Kind is the GOV.UK component name, Type the input type.
func (c reportChoices) Kind() string {
	if c.Checkbox {
		return "checkboxes"
	}
	return "radios"
}

func (c reportChoices) Type() string {
	if c.Checkbox {
		return "checkbox"
	}
	return "radio"
}

// choiceID is the GOV.UK id of a group's nth option (from 0): the first has the
// field's name, so that the error summary's link lands on it.
func choiceID(name string, n int) string {
	if n == 0 {
		return name
	}
	return fmt.Sprintf("%s-%d", name, n+1)
}

func newReportChoices(name, legend, hint, errMsg string, checkbox bool, chosen []string, opts ...reportChoice) reportChoices {
	picked := map[string]bool{}
	for _, c := range chosen {
		picked[c] = true
	}
	for i := range opts {
		opts[i].ID = choiceID(name, i)
		opts[i].Checked = picked[opts[i].Value]
	}
	return reportChoices{Name: name, Legend: legend, Hint: hint, Error: errMsg, Checkbox: checkbox, Options: opts}
}

// yesNoUnsure are the options of a yes, no or not sure question.
func yesNoUnsure(t func(string, ...any) string) []reportChoice {
	return []reportChoice{{Value: "yes", Label: t("answer.yes")}, {Value: "no", Label: t("answer.no")}, {Value: "not_sure", Label: t("answer.not_sure")}}
}

// reportSelect is one option of the district list.
type reportSelect struct {
	Value, Label string
	Selected     bool
}

// reportRow is one row of vehicles, phone numbers or businesses.
type reportRow struct {
	N                  int
	Value, Description string // a vehicle's registration and description; a phone number or business name
	Error, DescError   string
	Label, DescLabel   string // the row's labels, in the page's language
	RegLabel           string
	ErrWord            string // "Error:" in the page's language
}

// reportFormPage is the report form, blank or filled in.
type reportFormPage struct {
	Layout
	FormKey          string
	R                *tropic.Report
	Day, Month, Year string
	PeopleCount      string
	Language         string
	Anonymous        string // "yes", "no" or not answered
	Districts        []reportSelect
	InDanger         reportChoices
	Exploitation     reportChoices
	Indicators       []reportChoices // one group of checkboxes per heading
	IndicatorsError  string
	Children         reportChoices
	Vehicles         []reportRow
	Phones           []reportRow
	Businesses       []reportRow
	Relationship     reportChoices
	HowHeard         reportChoices
	AddAnother       bool // "Add another" buttons under vehicles, phones and businesses
	// OfferNotify: the box to be e-mailed when a message waits, offered only when the
	// service sends e-mail.
	OfferNotify bool
	// Open: the optional groups of questions, folded away on the public form, shown
	// open when they hold an answer or a problem.
	Open map[string]bool
}

// AddButton is the "Add another" button under a list of rows, when there is room for
// one more: it posts the form back with one more row, and the page opens at that row.
type AddButton struct {
	List, Label, Anchor string
}

// AddButtons are the page's "Add another" buttons, by list.
func (p *reportFormPage) AddButtons() map[string]*AddButton {
	out := map[string]*AddButton{}
	if !p.AddAnother {
		return out
	}
	add := func(list, label string, rows int, anchor string) {
		if rows < tropic.MaxListItems {
			out[list] = &AddButton{List: list, Label: label, Anchor: fmt.Sprintf(anchor, rows+1)}
		}
	}
	add("vehicles", p.T("form.add_vehicle"), len(p.Vehicles), "vehicle_%d_registration")
	add("phones", p.T("form.add_phone"), len(p.Phones), "phone_%d")
	add("businesses", p.T("form.add_business"), len(p.Businesses), "business_%d")
	return out
}

// rowCount is how many rows of a list to show: those filled in and one more, at
// least reportMinRows and at most tropic.MaxListItems.
func rowCount(filled int) int {
	return min(max(reportMinRows, filled+1), max(tropic.MaxListItems, filled))
}

// newReportFormPage fills the form with f's answers and errors.
func (s *Server) newReportFormPage(ctx context.Context, l Layout, f *reportForm) *reportFormPage {
	r, v := f.report, f.values
	l.Errors = l.publicErrors(f.errors)
	p := &reportFormPage{Layout: l, FormKey: f.formKey, R: r,
		Day: v.Get("seen_on_day"), Month: v.Get("seen_on_month"), Year: v.Get("seen_on_year"),
		PeopleCount: v.Get("people_count"), Language: r.Language, Anonymous: v.Get("reporter_anonymous"),
		OfferNotify: s.deps.Mail != nil}
	msg := p.FieldMessage
	t := p.T

	p.Districts = append(p.Districts, reportSelect{Value: "", Label: t("form.choose_district"), Selected: r.Location.District == ""})
	for _, d := range f.districts {
		p.Districts = append(p.Districts, reportSelect{Value: d.Slug, Label: d.Name, Selected: r.Location.District == d.Slug})
	}
	p.Districts = append(p.Districts, reportSelect{Value: "not_sure", Label: t("answer.not_sure"), Selected: r.Location.District == "not_sure"})

	p.InDanger = newReportChoices("in_danger", t("form.in_danger"), t("form.in_danger_hint"), msg("in_danger"), false,
		[]string{string(r.InDanger)}, yesNoUnsure(t)...)
	p.InDanger.Heading = true

	var types []string
	for _, t := range r.Exploitation.Types {
		types = append(types, string(t))
	}
	var exploitation []reportChoice
	for _, et := range tropic.ExploitationTypes {
		exploitation = append(exploitation, reportChoice{Value: string(et), Label: p.exploitationLabel(et)})
	}
	exploitation = append(exploitation, reportChoice{Value: string(tropic.ExploitNotSpecified), Label: p.exploitationLabel(tropic.ExploitNotSpecified), Divider: true, Exclusive: true})
	p.Exploitation = newReportChoices("exploitation", t("form.exploitation"), t("form.exploitation_hint"),
		msg("exploitation"), true, types, exploitation...)
	p.Exploitation.Heading = true

	var inds []string
	for _, i := range r.Indicators {
		inds = append(inds, string(i))
	}
	p.IndicatorsError = msg("indicators")
	n := 0
	for _, g := range tropic.IndicatorGroups {
		var opts []reportChoice
		for _, info := range g.Indicators {
			opts = append(opts, reportChoice{Value: string(info.Key), Label: p.indicatorLabel(info.Key)})
		}
		c := newReportChoices("indicators", p.indicatorGroupHeading(g.Heading), "", "", true, inds, opts...)
		for i := range c.Options {
			c.Options[i].ID = choiceID("indicators", n)
			n++
		}
		c.Small = true
		p.Indicators = append(p.Indicators, c)
	}

	p.Children = newReportChoices("children_involved", t("form.children"), t("form.children_hint"),
		msg("children_involved"), false, []string{string(r.People.ChildrenInvolved)}, yesNoUnsure(t)...)

	rows := func(filled int, list string) int {
		if !f.addAnother {
			return rowCount(filled)
		}
		n := max(1, filled)
		if v.Get("add") == list {
			n++
		}
		return max(min(n, tropic.MaxListItems), filled)
	}
	for i := 0; i < rows(len(r.Vehicles), "vehicles"); i++ {
		row := reportRow{N: i + 1, Error: msg(fmt.Sprintf("vehicle_%d_registration", i+1)), DescError: msg(fmt.Sprintf("vehicle_%d_description", i+1)),
			Label: t("form.vehicle_n", "n", i+1), RegLabel: t("form.registration"), DescLabel: t("form.vehicle_description"), ErrWord: t("common.error")}
		if i < len(r.Vehicles) {
			row.Value, row.Description = r.Vehicles[i].Registration, r.Vehicles[i].Description
		}
		p.Vehicles = append(p.Vehicles, row)
	}
	for i := 0; i < rows(len(r.Phones), "phones"); i++ {
		row := reportRow{N: i + 1, Error: msg(fmt.Sprintf("phone_%d", i+1)), Label: t("form.phone_n", "n", i+1), ErrWord: t("common.error")}
		if i < len(r.Phones) {
			row.Value = r.Phones[i].Number
		}
		p.Phones = append(p.Phones, row)
	}
	for i := 0; i < rows(len(r.Businesses), "businesses"); i++ {
		row := reportRow{N: i + 1, Error: msg(fmt.Sprintf("business_%d", i+1)), Label: t("form.business_n", "n", i+1), ErrWord: t("common.error")}
		if i < len(r.Businesses) {
			row.Value = r.Businesses[i]
		}
		p.Businesses = append(p.Businesses, row)
	}
	p.AddAnother = f.addAnother
	if p.Anonymous == "" && strings.TrimSpace(r.Reporter.Name+r.Reporter.Contact) != "" {
		p.Anonymous = "no" // not answered, but details were typed: show them as given
	}

	p.Relationship = newReportChoices("reporter_relationship", t("form.who_are_you"), "", msg("reporter_relationship"), false,
		[]string{string(r.Reporter.Relationship)},
		reportChoice{Value: string(tropic.RelationshipPublic), Label: t("form.relationship_public")},
		reportChoice{Value: string(tropic.RelationshipSelf), Label: t("form.relationship_self"), HintHTML: p.TH("form.relationship_self_hint_html")},
		reportChoice{Value: string(tropic.RelationshipProfessional), Label: t("form.relationship_professional")})

	p.HowHeard = newReportChoices("how_heard", t("form.how_heard"), "", msg("how_heard"), false,
		[]string{r.HowHeard}, s.howHeardChoices(ctx, &p.Layout, r.HowHeard)...)
	p.HowHeard.Heading = true
	for _, c := range append([]*reportChoices{&p.InDanger, &p.Exploitation, &p.Children, &p.Relationship, &p.HowHeard}, ptrs(p.Indicators)...) {
		c.ErrWord, c.OrWord = t("common.error"), t("common.or")
	}
	p.Open = reportOpenGroups(p)
	return p
}

// reportOpenGroups says which optional groups of the public form to show open: those
// with an answer, an error, or a row just added. The rest stay folded, so that a
// short report is a short page.
func reportOpenGroups(p *reportFormPage) map[string]bool {
	r := p.R
	problem := func(prefixes ...string) bool {
		for _, e := range p.Errors {
			for _, pre := range prefixes {
				if strings.HasPrefix(e.Field, pre) {
					return true
				}
			}
		}
		return false
	}
	rep := &r.Reporter
	return map[string]bool{
		"noticed": len(r.Exploitation.Types) > 0 || len(r.Indicators) > 0 || problem("exploitation", "indicators"),
		"people": strings.TrimSpace(p.PeopleCount) != "" || r.People.ChildrenInvolved != "" || strings.TrimSpace(r.People.Description) != "" ||
			problem("people_", "children_involved"),
		"vehicles":   len(r.Vehicles) > 0 || len(p.Vehicles) > 1 || problem("vehicle"),
		"phones":     len(r.Phones) > 0 || len(p.Phones) > 1 || problem("phone"),
		"businesses": len(r.Businesses) > 0 || len(p.Businesses) > 1 || problem("business"),
		"details": p.Anonymous == "no" || strings.TrimSpace(rep.Name+rep.Contact) != "" || rep.NotifyConsent ||
			problem("reporter_name", "reporter_contact", "reporter_notify"),
		"about": rep.Relationship != "" || r.HowHeard != "" || strings.TrimSpace(r.Language) != "" ||
			problem("reporter_relationship", "how_heard", "language"),
	}
}

// ptrs points at each group, to set them in place.
func ptrs(cs []reportChoices) []*reportChoices {
	out := make([]*reportChoices, len(cs))
	for i := range cs {
		out[i] = &cs[i]
	}
	return out
}

// exploitationLabel is a kind of exploitation in plain words, in the page's language.
func (l *Layout) exploitationLabel(t tropic.ExploitationType) string {
	return l.T("exploitation." + string(t))
}

// indicatorLabel is a sign of exploitation in the page's language.
func (l *Layout) indicatorLabel(i tropic.Indicator) string { return l.T("indicator." + string(i)) }

// indicatorGroupHeading is a heading of tropic.IndicatorGroups in the page's
// language: its id is the heading's words, lower case, joined by underscores.
func (l *Layout) indicatorGroupHeading(h string) string {
	return l.T("indicator_group." + indicatorGroupID(h))
}

func indicatorGroupID(h string) string {
	return strings.NewReplacer(" ", "_", ",", "").Replace(strings.ToLower(h))
}

// howHeardChoices lists the answers to "how did you hear about this service".
//
// Live campaigns go first, as "campaign:SLUG" (Report.Validate accepts them). An
// answer already given that names another campaign (a report sent through the API,
// or one whose campaign ended while it was being written) is kept. GET /report/new
// chooses a campaign from its query only when it is live (liveCampaignHowHeard).
func (s *Server) howHeardChoices(ctx context.Context, l *Layout, current string) []reportChoice {
	var out []reportChoice
	listed := false
	for _, c := range s.liveCampaigns(ctx) {
		out = append(out, reportChoice{Value: c.HowHeard(), Label: l.T("how_heard.campaign_named", "name", c.Name)})
		listed = listed || c.HowHeard() == current
	}
	if strings.HasPrefix(current, "campaign:") && !listed {
		out = append(out, reportChoice{Value: current, Label: reportHowHeardText(l, current, nil)})
	}
	for _, o := range s.howHeardLabels(ctx) {
		if !o.Retired {
			out = append(out, reportChoice{Value: o.Code, Label: howHeardLabel(l, o)})
		}
	}
	return out
}

// reportHowHeardText is the answer to "how did you hear" in words, in the page's
// language ("" when not given).
func reportHowHeardText(l *Layout, key string, options []tropic.HowHeardOption) string {
	if key == "" {
		return ""
	}
	if slug, ok := strings.CutPrefix(key, "campaign:"); ok {
		return l.T("how_heard.campaign_slug", "slug", slug)
	}
	for _, o := range options {
		if o.Code == key {
			return howHeardLabel(l, o)
		}
	}
	return key
}

// howHeardText is the answer to "how did you hear" in the partnership's own words,
// for staff pages ("" when not given).
func howHeardText(key string, options []tropic.HowHeardOption) string {
	if slug, ok := strings.CutPrefix(key, "campaign:"); ok {
		return "A campaign (" + slug + ")"
	}
	return tropic.HowHeardLabel(key, options)
}

// howHeardLabel is an option's wording: the partnership's own (reference data) in
// English, and in another language the catalogue's translation of a built-in option
// when it has one; an option an administrator added reads as they wrote it.
func howHeardLabel(l *Layout, o tropic.HowHeardOption) string {
	if l.Lang() != defaultLang {
		if t, ok := l.TIf("how_heard." + o.Code); ok {
			return t
		}
	}
	return o.Label
}

// howHeardOptions are the "how did you hear" options, retired ones too (reference
// data); none without the reference data service.
func (s *Server) howHeardOptions(ctx context.Context) ([]tropic.HowHeardOption, error) {
	if s.deps.Reference == nil {
		return nil, nil
	}
	return s.deps.Reference.FindHowHeardOptions(ctx)
}

// howHeardLabels are the options for showing answers: if they cannot be read, the
// answers show as their codes and the failure is logged.
func (s *Server) howHeardLabels(ctx context.Context) []tropic.HowHeardOption {
	options, err := s.howHeardOptions(ctx)
	if err != nil {
		s.log.Error("find how-heard options", "err", err)
	}
	return options
}
