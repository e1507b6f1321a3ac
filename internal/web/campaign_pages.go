package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// Campaign pages: analysts and administrators create and edit campaigns and see their
// effect on reports; anyone reads a campaign's public page. The research export (HTCDS
// 2.0 terms, k-anonymous) is here too, for analysts.

// effectWeeks is N: the weeks after a campaign's start compared with as many before.
const effectWeeks = 4

// campaignStaff wraps the campaign staff pages: anyone else gets the missing page.
func (s *Server) campaignStaff(h http.Handler) http.Handler {
	return s.browser(s.requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Campaigns == nil || !tropic.CanManageCampaigns(actorOf(r)) {
			s.notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})))
}

// liveCampaigns lists the campaigns running now; an error lists none.
func (s *Server) liveCampaigns(ctx context.Context) []*tropic.Campaign {
	if s.deps.Campaigns == nil {
		return nil
	}
	all, err := s.deps.Campaigns.FindCampaigns(ctx)
	if err != nil {
		s.log.Error("find campaigns", "err", err)
		return nil
	}
	var out []*tropic.Campaign
	for _, c := range all {
		if c.Live(s.now()) {
			out = append(out, c)
		}
	}
	return out
}

// liveCampaignHowHeard returns v when it is the "how did you hear" answer of a
// campaign running now, and "" otherwise: a link may choose an existing answer and
// nothing more.
func (s *Server) liveCampaignHowHeard(ctx context.Context, v string) string {
	if !strings.HasPrefix(v, "campaign:") {
		return ""
	}
	for _, c := range s.liveCampaigns(ctx) {
		if c.HowHeard() == v {
			return v
		}
	}
	return ""
}

type campaignRow struct {
	*tropic.Campaign
	Live bool
}

type campaignListPage struct {
	Layout
	Campaigns []campaignRow
	Flash     string
	MayExport bool // the research export is offered to those who may take it
	ResearchK int  // the export's k
}

func (s *Server) handleCampaignList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		all, err := s.deps.Campaigns.FindCampaigns(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p := &campaignListPage{Layout: s.newLayout(r, "Campaigns")}
		p.Nav = "campaigns"
		p.Flash = s.sessions.PopString(r.Context(), "campaign_flash")
		p.MayExport, p.ResearchK = tropic.MayExportResearch(actorOf(r)) == nil, s.cfg.ResearchK
		for _, c := range all {
			p.Campaigns = append(p.Campaigns, campaignRow{c, c.Live(s.now())})
		}
		s.render(w, r, http.StatusOK, "campaign_list", p)
	})
}

type agencyChoice struct {
	ID      int64
	Name    string
	Checked bool
}

type campaignFormPage struct {
	Layout
	Action                                 string
	Editing                                bool
	Name, Slug, Hashtags, StartsOn, EndsOn string
	Description                            string
	Agencies                               []agencyChoice
	// The posters, when editing a campaign whose posters are kept: PosterBase is the
	// stored campaign's address, which the poster forms and images are under.
	ShowPosters  bool
	PosterBase   string // the public images: PosterBase + id
	PosterStaff  string // the remove forms: PosterStaff + id + "/remove"
	PosterAction string // the upload form
	Posters      []*tropic.Poster
	PosterAlt    string // the description typed with an upload that was refused
	Flash        string
}

func (s *Server) campaignForm(r *http.Request, c *tropic.Campaign, hashtags string, editing bool) (*campaignFormPage, error) {
	title := "New campaign"
	action := "/staff/campaigns/new"
	if editing {
		title = "Edit campaign"
		action = "/staff/campaigns/" + url.PathEscape(r.PathValue("slug")) + "/edit"
	}
	p := &campaignFormPage{Layout: s.newLayout(r, title), Action: action, Editing: editing, Name: c.Name, Slug: c.Slug,
		Hashtags: hashtags, StartsOn: c.StartsOn, EndsOn: c.EndsOn, Description: c.Description}
	p.Nav = "campaigns"
	if editing && s.deps.Posters != nil {
		p.ShowPosters = true
		p.Flash = s.sessions.PopString(r.Context(), "campaign_flash")
		stored := r.PathValue("slug")
		p.PosterBase = "/campaigns/" + url.PathEscape(stored) + "/posters/"
		p.PosterStaff = "/staff" + p.PosterBase
		p.PosterAction = "/staff/campaigns/" + url.PathEscape(stored) + "/posters"
		posters, err := s.deps.Posters.FindPosters(r.Context(), stored)
		if err != nil {
			return nil, err
		}
		p.Posters = posters
	}
	agencies, err := s.deps.Agencies.FindAgencies(r.Context())
	if err != nil {
		return nil, err
	}
	for _, a := range agencies {
		p.Agencies = append(p.Agencies, agencyChoice{a.ID, a.Name, slices.Contains(c.AgencyIDs, a.ID)})
	}
	return p, nil
}

func (s *Server) handleCampaignNewForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.campaignForm(r, &tropic.Campaign{}, "", false)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "campaign_form", p)
	})
}

func (s *Server) handleCampaignEditForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.deps.Campaigns.FindCampaign(r.Context(), r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p, err := s.campaignForm(r, c, strings.Join(c.Hashtags, " "), true)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "campaign_form", p)
	})
}

// campaignFieldOrder is the order of the fields on the form, for the error summary.
var campaignFieldOrder = []string{"name", "slug", "hashtags", "starts_on", "ends_on", "description", "agencies"}

func (s *Server) handleCampaignSave(editing bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &tropic.Campaign{}
		if editing {
			old, err := s.deps.Campaigns.FindCampaign(r.Context(), r.PathValue("slug"))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			c.ID = old.ID
		}
		if !s.parseForm(w, r) {
			return
		}
		f := r.PostForm
		c.Name, c.Slug, c.StartsOn, c.EndsOn, c.Description = f.Get("name"), f.Get("slug"), f.Get("starts_on"), f.Get("ends_on"), f.Get("description")
		c.Hashtags = tropic.ParseHashtags(f.Get("hashtags"))
		badAgency := false
		for _, v := range f["agencies"] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				badAgency = true
				continue
			}
			c.AgencyIDs = append(c.AgencyIDs, id)
		}
		var err error
		if badAgency {
			err = &tropic.Error{Code: tropic.EINVALID, Message: "Check the campaign's details.", Fields: map[string]string{"agencies": "Choose partner agencies from the list"}}
		} else if editing {
			err = s.deps.Campaigns.UpdateCampaign(r.Context(), actorOf(r), c)
		} else {
			err = s.deps.Campaigns.CreateCampaign(r.Context(), actorOf(r), c)
		}
		if tropic.ErrorCode(err) == tropic.EINVALID {
			c.Slug = f.Get("slug") // what they typed, not what was derived
			p, perr := s.campaignForm(r, c, f.Get("hashtags"), editing)
			if perr != nil {
				s.serverError(w, r, perr)
				return
			}
			fields := tropic.ErrorFields(err)
			for _, k := range campaignFieldOrder {
				if m := fields[k]; m != "" {
					p.Errors = append(p.Errors, FieldError{Field: k, Message: m})
				}
			}
			s.render(w, r, http.StatusUnprocessableEntity, "campaign_form", p)
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), "campaign_flash", "Campaign "+c.Name+" saved")
		http.Redirect(w, r, "/staff/campaigns", http.StatusSeeOther)
	})
}

type shareLink struct{ Label, URL string }

type effectBar struct {
	X, Y, W, H    int
	Label         string
	Reports       int
	InCampaign    bool
	Start         string
	ShowTickLabel bool
}

type campaignEffectPage struct {
	Layout
	Campaign *tropic.Campaign
	Effect   *tropic.CampaignEffect
	Bars     []effectBar
	ChartW   int
	ChartH   int
	Max      int
	Change   string
	Periods  []string
	Summary  string
	// ChangeLastYear compares the weeks from the start with the same weeks a year
	// earlier (LastYearPeriod).
	ChangeLastYear, LastYearPeriod string
}

// inAnyCampaign says whether the week starting at w overlaps a campaign's period.
func inAnyCampaign(w time.Time, cs []*tropic.Campaign) bool {
	end := w.AddDate(0, 0, 7)
	for _, c := range cs {
		if c.Start().Before(end) && w.Before(c.End()) {
			return true
		}
	}
	return false
}

// handleCampaignEffect shows reports per week around a campaign with the campaign
// periods marked, the reports attributed to it, and N weeks after its start against N
// weeks before.
func (s *Server) handleCampaignEffect() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.deps.Campaigns.FindCampaign(r.Context(), r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		all, err := s.deps.Campaigns.FindCampaigns(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		from := c.Start().AddDate(0, 0, -7*(effectWeeks+4))
		to := c.End().AddDate(0, 0, 7*(effectWeeks+4))
		eff, err := s.deps.Campaigns.CampaignEffect(r.Context(), actorOf(r), c, from, to, effectWeeks)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &campaignEffectPage{Layout: s.newLayout(r, "Effect of "+c.Name), Campaign: c, Effect: eff, ChartH: 200}
		p.Nav = "campaigns"
		for _, wk := range eff.Weeks {
			p.Max = max(p.Max, wk.Reports)
		}
		const barW, gap, top, bottom = 14, 4, 10, 30
		p.ChartW = len(eff.Weeks)*(barW+gap) + 50
		plot := p.ChartH - top - bottom
		for i, wk := range eff.Weeks {
			h := 0
			if p.Max > 0 {
				h = wk.Reports * plot / p.Max
			}
			p.Bars = append(p.Bars, effectBar{X: 40 + i*(barW+gap), Y: top + plot - h, W: barW, H: h, Reports: wk.Reports,
				InCampaign: inAnyCampaign(wk.Start, all), Start: wk.Start.Format("2 Jan 2006"), ShowTickLabel: i%4 == 0,
				Label: wk.Start.Format("2 Jan")})
		}
		for _, o := range all {
			if o.Start().Before(to) && from.Before(o.End()) {
				p.Periods = append(p.Periods, o.Name+": "+o.Start().Format("2 January 2006")+" to "+o.End().AddDate(0, 0, -1).Format("2 January 2006"))
			}
		}
		p.Change, p.ChangeLastYear = changeWords(eff.Before, eff.After), changeWords(eff.LastYear, eff.After)
		p.Summary = fmt.Sprintf("%d reports in the %d weeks from the start of the campaign, against %d in the %d weeks before (%s) and %d in the same weeks last year (%s). %d reports said they heard of the service through this campaign.",
			eff.After, eff.WindowWeeks, eff.Before, eff.WindowWeeks, p.Change, eff.LastYear, p.ChangeLastYear, eff.Attributed)
		last := tropic.CampaignLastYear(c.Start())
		p.LastYearPeriod = last.Format("2 January 2006") + " to " + last.AddDate(0, 0, 7*eff.WindowWeeks-1).Format("2 January 2006")
		s.render(w, r, http.StatusOK, "campaign_effect", p)
	})
}

// changeWords says how a count moved from before to after: "+25%", "no change", "up
// from none".
func changeWords(before, after int) string {
	switch {
	case before == 0 && after == 0:
		return "no change"
	case before == 0:
		return "up from none"
	}
	return fmt.Sprintf("%+d%%", (after-before)*100/before)
}

// handleHTCDSExport writes the research export (format "csv" or "xlsx"): NRM
// referrals' potential victims in HTCDS 2.0 terms, k-anonymous over the
// quasi-identifiers. Analysts only.
func (s *Server) handleHTCDSExport(format string) http.Handler {
	return s.browser(s.requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := actorOf(r)
		if s.deps.Exports == nil || tropic.MayExportResearch(actor) != nil {
			s.notFound(w, r)
			return
		}
		if !s.authenticatedRecently(r) { // an export of personal data
			s.askToConfirm(w, r)
			return
		}
		recs, err := s.deps.Exports.ExportRecords(r.Context(), actor)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		res := tropic.KAnonymise(recs, s.cfg.ResearchK)
		rows := make([][]string, len(res.Rows))
		for i, row := range res.Rows {
			rows[i] = row
		}
		about := []string{"HTCDS 2.0 research extract: potential victims referred to the NRM, one row each.",
			fmt.Sprintf("Every row is shared by at least %d rows with the same values (k-anonymity, k = %d). Values were generalised where needed: \"any\" stands for a value left out; %d records were left out entirely.", res.K, res.K, res.Suppressed),
			"No immigration status, names, contact details or free text.",
			"Field names: prs_ and vic_ are HTCDS 2.0 (IOM, CC BY 4.0); yearOfRegistration, ageBroad and the is* flags are the CTDC global dataset's; district is the partnership's own.",
			"Citizenship is ISO 3166-1 alpha-3 (XKX for Kosovo), generalised to the UN M49 sub-region or region; \"Other\" is a nationality outside the list Tropic records.",
			"Criminal exploitation is recorded as ForcedLabour with the industry IllicitActivities, and domestic servitude as Servitude (a mapping from the NRM's categories)."}
		for q, name := range tropic.QINames {
			about = append(about, fmt.Sprintf("%s: %.0f%% of rows not generalised to \"any\", %.0f%% as recorded.", name, 100*res.NotAny[q], 100*res.Exact[q]))
		}
		if err := writeTableFile(w, format, tableFile{Name: "htcds", Header: tropic.HTCDSHeader, Rows: rows, About: about}); err != nil {
			s.log.Error("research export", "error", err.Error())
		}
	})))
}
