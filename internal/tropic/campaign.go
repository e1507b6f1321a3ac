package tropic

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Campaign is a piece of awareness work: a name, a slug for its public page and for
// report attribution ("campaign:SLUG" in a report's how_heard), hashtags, the days it
// runs (inclusive, as YYYY-MM-DD), a description and the partner agencies behind it.
type Campaign struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Slug        string    `json:"slug"`
	Hashtags    []string  `json:"hashtags"`
	StartsOn    string    `json:"starts_on"`
	EndsOn      string    `json:"ends_on"`
	Description string    `json:"description"`
	AgencyIDs   []int64   `json:"agency_ids"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// HowHeard is the value a report attributed to the campaign holds in how_heard.
func (c *Campaign) HowHeard() string { return "campaign:" + c.Slug }

// Start is the first day of the campaign, at midnight UTC.
func (c *Campaign) Start() time.Time { t, _ := time.Parse(time.DateOnly, c.StartsOn); return t }

// End is the moment after the campaign's last day, at midnight UTC.
func (c *Campaign) End() time.Time {
	t, _ := time.Parse(time.DateOnly, c.EndsOn)
	return t.AddDate(0, 0, 1)
}

// Live reports whether the campaign runs at now: on or after its first day and on or
// before its last.
func (c *Campaign) Live(now time.Time) bool {
	now = now.UTC()
	return !now.Before(c.Start()) && now.Before(c.End())
}

var campaignSlugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
var hashtagRE = regexp.MustCompile(`^#[\pL\pN_]+$`)

// Slugify makes a slug of a name: lower case letters and digits joined by hyphens.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// ParseHashtags reads hashtags separated by spaces or commas; a missing # is added.
func ParseHashtags(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r' }) {
		if !strings.HasPrefix(f, "#") {
			f = "#" + f
		}
		out = append(out, f)
	}
	return out
}

// Validate tidies the campaign and checks it, naming each field at fault. An empty
// slug is made from the name.
func (c *Campaign) Validate() error {
	fields := map[string]string{}
	c.Name = strings.TrimSpace(c.Name)
	c.Slug = strings.TrimSpace(strings.ToLower(c.Slug))
	c.Description = strings.TrimSpace(c.Description)
	c.StartsOn, c.EndsOn = strings.TrimSpace(c.StartsOn), strings.TrimSpace(c.EndsOn)
	if c.Slug == "" {
		c.Slug = Slugify(c.Name)
	}
	var text Problems
	if c.Name == "" {
		fields["name"] = "Enter the campaign's name"
	} else {
		CheckText(&text, "name", "The name", c.Name, 120)
	}
	CheckText(&text, "description", "The description", c.Description, 5000)
	for field, msg := range ErrorFields(text.Err()) {
		fields[field] = msg
	}
	switch {
	case c.Slug == "" && c.Name != "":
		fields["slug"] = "Enter a web address name using letters and digits"
	case c.Slug != "" && (!campaignSlugRE.MatchString(c.Slug) || len(c.Slug) > 60):
		fields["slug"] = "The web address name must be 60 or fewer lower case letters, digits and single hyphens, like spot-the-signs-2026"
	}
	for _, h := range c.Hashtags {
		if !hashtagRE.MatchString(h) || utf8.RuneCountInString(h) > 60 {
			fields["hashtags"] = "Hashtags must be a # followed by letters, digits or underscores, like #SpotTheSigns"
			break
		}
	}
	if len(c.Hashtags) > 10 {
		fields["hashtags"] = "Enter 10 hashtags or fewer"
	}
	start, errS := time.Parse(time.DateOnly, c.StartsOn)
	end, errE := time.Parse(time.DateOnly, c.EndsOn)
	if errS != nil {
		fields["starts_on"] = "Enter the start date as a real date, like 2026-03-10"
	}
	if errE != nil {
		fields["ends_on"] = "Enter the end date as a real date, like 2026-03-16"
	}
	if errS == nil && errE == nil && end.Before(start) {
		fields["ends_on"] = "The end date must be the same as or after the start date"
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "Check the campaign's details.", Fields: fields}
	}
	return nil
}

// CampaignEffect is how reports moved around a campaign.
type CampaignEffect struct {
	Weeks       []WeekCount // reports per week (weeks start on Monday), oldest first
	Attributed  int         // reports whose how_heard names the campaign
	WindowWeeks int         // N: the weeks compared before and after the start
	Before      int         // reports in the N weeks before the start
	After       int         // reports in the N weeks from the start
	LastYear    int         // reports in the same N weeks a year earlier (52 weeks, so the weekdays match)
	Districts   []DistrictEffect
}

// DistrictEffect is the campaign's three windows counted in one district (by the
// report's district; "" for reports without one).
type DistrictEffect struct {
	District, Name          string
	Before, After, LastYear int
}

// CampaignLastYear is the start of the same weeks a year before a window starting at
// start: 52 weeks earlier, so that Mondays compare with Mondays.
func CampaignLastYear(start time.Time) time.Time { return start.AddDate(0, 0, -7*52) }

// WeekCount is the number of reports received in the week starting on Start (UTC).
type WeekCount struct {
	Start   time.Time
	Reports int
}

// WeekStart is the Monday at or before t, at midnight UTC.
func WeekStart(t time.Time) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// CampaignService keeps campaigns. Creating and editing them is for analysts and
// administrators; reading them is for anyone (the public pages show them).
type CampaignService interface {
	CreateCampaign(ctx context.Context, actor Actor, c *Campaign) error
	UpdateCampaign(ctx context.Context, actor Actor, c *Campaign) error
	FindCampaign(ctx context.Context, slug string) (*Campaign, error)
	FindCampaigns(ctx context.Context) ([]*Campaign, error)
	// CampaignEffect counts reports per week from `from` up to `to`, the reports
	// attributed to the campaign, and the reports in the `weeks` weeks from its start
	// against the same number of weeks before and the same weeks a year earlier, in
	// all and per district.
	CampaignEffect(ctx context.Context, actor Actor, c *Campaign, from, to time.Time, weeks int) (*CampaignEffect, error)
}

// Audit actions of campaigns and the research export.
const (
	AuditCampaignCreated = "campaign.created"
	AuditCampaignUpdated = "campaign.updated"
	AuditResearchExport  = "export.htcds"
)

// CanManageCampaigns says whether the actor may create and edit campaigns and see
// their effect: analysts and administrators.
func CanManageCampaigns(a Actor) bool { return a.Has(RoleAnalyst) || a.Has(RoleAdmin) }
