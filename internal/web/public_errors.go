package web

import (
	"regexp"
)

// The public pages show the problems of a form in the visitor's language. The
// domain (tropic) words its problems in English, for the API and the staff pages;
// this is the one place that maps each problem a public form can meet to a message
// id, with the values it carries (a field's name, a number). A problem with no
// mapping keeps its English words (TestPublicProblemsAreTranslated walks the
// public form's problems to keep this list whole).

type problemPattern struct {
	re *regexp.Regexp
	id string
	// args names the submatches: each becomes a {placeholder} of the message; a
	// "label" submatch is itself translated through problemLabels.
	args []string
}

func pattern(re, id string, args ...string) problemPattern {
	return problemPattern{regexp.MustCompile("^" + re + "$"), id, args}
}

var problemPatterns = []problemPattern{
	pattern(`Enter what you saw or heard`, "problem.description_required"),
	pattern(`Enter a real postcode, like AL1 3JX, or leave it blank`, "problem.postcode"),
	pattern(`Choose a district from the list, or "I'm not sure"`, "problem.district"),
	pattern(`The date you saw it must be a real date, like 20 11 2026`, "problem.date_real"),
	pattern(`The date you saw it must be today or in the past`, "problem.date_future"),
	pattern(`The date you saw it must be after 1950`, "problem.date_1950"),
	pattern(`The date you saw it must include a (day|month|year)`, "problem.date_missing_one", "part"),
	pattern(`The date you saw it must include a (day|month|year) and (day|month|year)`, "problem.date_missing_two", "part", "part2"),
	pattern(`The year you saw it must have 4 numbers, like 2026`, "problem.date_year"),
	pattern(`Choose yes, no or not sure`, "problem.yes_no_unsure"),
	pattern(`Choose the kinds of exploitation from the list`, "problem.exploitation"),
	pattern(`Choose the signs from the list`, "problem.indicators"),
	pattern(`Enter the number of people, like 4 or about 6, or leave it blank`, "problem.people_count"),
	pattern(`The number of people must be between 1 and (\d+), or left blank`, "problem.people_count_range", "max"),
	pattern(`Give up to (\d+) vehicles`, "problem.vehicles_max", "count"),
	pattern(`Give up to (\d+) phone numbers`, "problem.phones_max", "count"),
	pattern(`Give up to (\d+) businesses`, "problem.businesses_max", "count"),
	pattern(`Enter a registration number using letters and numbers only, like AB12 CDE`, "problem.registration"),
	pattern(`Enter a phone number, like 07700 900123 or \+44 7700 900123`, "problem.phone"),
	pattern(`Enter a phone number or email address so we can contact you, or choose to stay anonymous`, "problem.contact_required"),
	pattern(`Choose whether to stay anonymous or give your details`, "problem.anonymous"),
	pattern(`Choose who you are from the list`, "problem.relationship"),
	pattern(`Choose how you heard about this service from the list`, "problem.how_heard"),
	pattern(`Enter the information you want to add`, "problem.information_required"),
	pattern(`The reference or the follow-up code is not right. Check them and try again.`, "problem.followup_denied"),
	pattern(`To be emailed when a message waits, enter an email address in how to contact you, or untick this box`, "problem.notify_needs_email"),
	// The reporter's messages (report_message.go).
	pattern(`Enter your reply`, "problem.reply_required"),
	pattern(`You have sent (\d+) replies in the last hour. Wait an hour before you send another, or call the Modern Slavery Helpline on 08000 121 700.`, "problem.reply_rate", "count"),
	pattern(`You can reply once the partnership has written to you. To tell us more now, add information to your report.`, "problem.reply_not_yet"),
	// The error pages' words (errors.go, middleware.go).
	pattern(`Page not found`, "error.not_found"),
	pattern(`If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.`, "error.not_found_body"),
	pattern(`Sorry, there is a problem with the service`, "error.server"),
	pattern(`Try again later. If you contact the partnership's administrator about this, quote request id (\S+)\.`, "error.server_body", "id"),
	pattern(`This form was sent from another website`, "error.cross_origin"),
	pattern(`For your safety, Tropic only accepts forms sent from its own pages. Go back, reload the page and try again.`, "error.cross_origin_body"),
	pattern(`There is a problem`, "common.there_is_a_problem"),
	pattern(`(.+) must be valid text: it holds bytes that are not UTF-8`, "problem.text_utf8", "label"),
	pattern(`(.+) must be (\d+) characters or fewer`, "problem.text_too_long", "label", "count"),
	pattern(`(.+) must not contain control characters`, "problem.text_control", "label"),
	pattern(`(.+) must not contain characters that change the direction of the text`, "problem.text_bidi", "label"),
}

// problemLabels are the names of the public form's fields in the domain's problems.
var problemLabels = map[string]string{
	"What you saw":                        "label.description",
	"What is happening to you":            "check.self_what_to_you",
	"Address or description of the place": "label.address",
	"When you saw it":                     "label.seen_when",
	"Description of the people":           "label.people_description",
	"Registration number":                 "form.registration",
	"Vehicle description":                 "label.vehicle_description",
	"Phone number":                        "label.phone",
	"Business name":                       "label.business",
	"Your name":                           "form.your_name",
	"How to contact you":                  "form.how_to_contact",
	"How you heard":                       "label.how_heard",
	"Language":                            "form.language",
	"The information":                     "label.information",
	"Your reply":                          "label.reply",
}

// publicProblem is an English problem message in the page's language, and whether
// it has a translation.
func (l *Layout) publicProblem(msg string) (string, bool) {
	for _, p := range problemPatterns {
		m := p.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		var args []any
		for i, name := range p.args {
			v := m[i+1]
			switch {
			case name == "label":
				id, ok := problemLabels[v]
				if !ok {
					return msg, false
				}
				v = l.T(id)
			case name == "part" || name == "part2":
				v = l.T("form.date_part_" + v)
			}
			args = append(args, name, v)
		}
		return l.T(p.id, args...), true
	}
	return msg, false
}

// publicErrors translates the problems of a public form.
func (l *Layout) publicErrors(errs []FieldError) []FieldError {
	out := make([]FieldError, len(errs))
	for i, e := range errs {
		e.Message, _ = l.publicProblem(e.Message)
		out[i] = e
	}
	return out
}
