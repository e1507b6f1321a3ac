package web

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The public side of campaigns: an index of them, the live ones on the home page, and
// each campaign's page with its dates, its partners and the way to report near the top.

// publicCampaign is a campaign as the public sees it.
type publicCampaign struct {
	*tropic.Campaign
	Live     bool
	Ended    bool
	Dates    string   // "28 July 2026 to 3 August 2026"
	Partners []string // the partner agencies' names
}

// publicCampaigns lists every campaign, the live ones first, then by start, newest
// first; an error lists none (the pages still work without them).
func (s *Server) publicCampaigns(ctx context.Context, l *Layout) []publicCampaign {
	if s.deps.Campaigns == nil {
		return nil
	}
	all, err := s.deps.Campaigns.FindCampaigns(ctx)
	if err != nil {
		s.log.Error("find campaigns", "err", err)
		return nil
	}
	names := s.agencyNames(ctx)
	now := s.now()
	out := make([]publicCampaign, 0, len(all))
	for _, c := range all {
		out = append(out, s.publicCampaign(l, c, now, names))
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Live != out[j].Live {
			return out[i].Live
		}
		return out[i].StartsOn > out[j].StartsOn
	})
	return out
}

// publicCampaign is c as the public pages show it, its dates in the page's language.
func (s *Server) publicCampaign(l *Layout, c *tropic.Campaign, now time.Time, names map[int64]string) publicCampaign {
	p := publicCampaign{Campaign: c, Live: c.Live(now), Ended: !now.Before(c.End()),
		Dates: l.T("campaign.dates", "start", l.date(c.Start()), "end", l.date(c.End().AddDate(0, 0, -1)))}
	for _, id := range c.AgencyIDs {
		if n := names[id]; n != "" {
			p.Partners = append(p.Partners, n)
		}
	}
	sort.Strings(p.Partners)
	return p
}

// agencyNames maps agency ids to names; an error maps none.
func (s *Server) agencyNames(ctx context.Context) map[int64]string {
	out := map[int64]string{}
	if s.deps.Agencies == nil {
		return out
	}
	agencies, err := s.deps.Agencies.FindAgencies(ctx)
	if err != nil {
		s.log.Error("find agencies", "err", err)
		return out
	}
	for _, a := range agencies {
		out[a.ID] = a.Name
	}
	return out
}

type publicHomePage struct {
	Layout
	Live []publicCampaign
}

// handleHome is the public home page, with the campaigns running now.
func (s *Server) handleHome() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &publicHomePage{Layout: s.publicLayout(r, "home.page_title")}
		for _, c := range s.publicCampaigns(r.Context(), &p.Layout) {
			if c.Live {
				p.Live = append(p.Live, c)
			}
		}
		s.render(w, r, http.StatusOK, "home", p)
	})
}

type campaignIndexPage struct {
	Layout
	Live, Past []publicCampaign
}

// handleCampaignIndex lists the partnership's campaigns: those running now, then the
// others.
func (s *Server) handleCampaignIndex() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &campaignIndexPage{Layout: s.publicLayout(r, "campaign.index_title")}
		p.User = nil
		for _, c := range s.publicCampaigns(r.Context(), &p.Layout) {
			if c.Live {
				p.Live = append(p.Live, c)
			} else {
				p.Past = append(p.Past, c)
			}
		}
		s.render(w, r, http.StatusOK, "campaign_index", p)
	})
}

// signGroup is a heading of the signs to look for and its signs, in the page's language.
type signGroup struct {
	Heading string
	Labels  []string
}

type campaignPublicPage struct {
	Layout
	Campaign   publicCampaign
	Indicators []signGroup
	ReportURL  string
	PageURL    string
	Share      []shareLink
	Posters    []*tropic.Poster
	PosterBase string // a poster's image is PosterBase + its id
}

// handleCampaignPublic is a campaign's public page: its dates and partners, the way to
// report at the top, what it is about, the signs to look for, and plain share links
// (no third-party scripts or images, no tracking parameters).
func (s *Server) handleCampaignPublic() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Campaigns == nil {
			s.notFound(w, r)
			return
		}
		c, err := s.deps.Campaigns.FindCampaign(r.Context(), r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &campaignPublicPage{Layout: s.publicLayout(r, "campaign.caption"), ReportURL: "/report"}
		p.Campaign = s.publicCampaign(&p.Layout, c, s.now(), s.agencyNames(r.Context()))
		pc := p.Campaign
		p.Title = c.Name
		for _, g := range tropic.IndicatorGroups {
			sg := signGroup{Heading: p.indicatorGroupHeading(g.Heading)}
			for _, i := range g.Indicators {
				sg.Labels = append(sg.Labels, p.indicatorLabel(i.Key))
			}
			p.Indicators = append(p.Indicators, sg)
		}
		if pc.Live {
			p.ReportURL = "/report/new?how_heard=" + url.QueryEscape(c.HowHeard())
		}
		if s.deps.Posters != nil {
			// The page works without its posters: an error shows none.
			if p.Posters, err = s.deps.Posters.FindPosters(r.Context(), c.Slug); err != nil {
				s.log.Error("find posters", "err", err)
				p.Posters = nil
			}
			p.PosterBase = "/campaigns/" + url.PathEscape(c.Slug) + "/posters/"
		}
		p.Public = true
		p.User = nil
		// The address people share is the configured public one, never the request's
		// Host header, which a client sets and a cache could keep.
		p.PageURL = strings.TrimRight(s.cfg.BaseURL, "/") + "/campaigns/" + url.PathEscape(c.Slug)
		text := c.Name + " " + strings.Join(c.Hashtags, " ")
		p.Share = []shareLink{
			{p.T("campaign.share_on", "site", "X (Twitter)"), "https://twitter.com/intent/tweet?text=" + url.QueryEscape(text) + "&url=" + url.QueryEscape(p.PageURL)},
			{p.T("campaign.share_on", "site", "Facebook"), "https://www.facebook.com/sharer/sharer.php?u=" + url.QueryEscape(p.PageURL)},
			{p.T("campaign.share_on", "site", "LinkedIn"), "https://www.linkedin.com/sharing/share-offsite/?url=" + url.QueryEscape(p.PageURL)},
			{p.T("campaign.share_on", "site", "WhatsApp"), "https://wa.me/?text=" + url.QueryEscape(text+" "+p.PageURL)},
			{p.T("campaign.share_email"), "mailto:?subject=" + url.PathEscape(c.Name) + "&body=" + url.PathEscape(p.PageURL)},
		}
		s.render(w, r, http.StatusOK, "campaign_public", p)
	})
}
