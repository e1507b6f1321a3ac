package web

import (
	"net/http"
	"strconv"
	"time"

	"tropic/internal/tropic"
)

// The public statistics are releases (DESIGN.md §4 rule 5): the dashboard, its
// downloads and GET /api/v1/statistics serve the latest; every release stays at
// /statistics/releases/{id} and /api/v1/statistics/releases/{id}.

// releaseInfo is what a page says about the release it shows.
type releaseInfo struct {
	*tropic.Release
	Latest      bool
	Quarter     string // "July to September 2026"
	PublishedAt string
	CutOff      string
	Policy      string
}

// releaseData turns a release into what the dashboard shows.
func releaseData(r *tropic.Release, latest bool, zone *time.Location) *statsData {
	d := &statsData{Period: r.Covers, LastYear: r.LastYear, Threshold: r.Threshold, YTD: true,
		Rule: tropic.DisclosureRule(r.Threshold)}
	y, q := tropic.QuarterOf(r.Quarter.From)
	d.Release = &releaseInfo{Release: r, Latest: latest, Quarter: tropic.QuarterLabel(y, q),
		PublishedAt: r.PublishedAt.In(zone).Format("2 January 2006 at 3:04pm"),
		CutOff:      r.CutOff.In(zone).Format("2 January 2006 at 3:04pm"), Policy: tropic.RevisionsPolicy}
	for _, h := range r.Headlines {
		d.Headlines = append(d.Headlines, statsHeadline{Figure: h.Figure, Sentence: h.Sentence, ThisYear: h.ThisYear, LastYear: h.LastYear})
	}
	byID := map[string]tropic.Table{}
	var rg, cg statsTable
	for _, t := range r.Tables {
		st := statsTable{ID: t.ID(), Title: t.Title(), Table: t}
		switch {
		case t.Dimension == tropic.DimQuarter || t.Dimension == tropic.DimYear:
			d.Trends = append(d.Trends, statsTrend{Chart: trendChart(st), statsTable: st})
			continue
		case r.IsLastYear(t):
			st.ID += "-last-year"
			st.Title += ", same period last year"
		case t.Figure == tropic.FigureRGDecisions:
			rg = st
		case t.Figure == tropic.FigureCGDecisions:
			cg = st
		}
		byID[st.ID] = t
		d.Tables = append(d.Tables, st)
	}
	for _, f := range tropic.ReleaseChartFigures {
		d.Charts = append(d.Charts, monthChart(f, byID[string(f)+"-month"], byID[string(f)+"-month-last-year"], r.Covers, r.LastYear))
	}
	d.Decisions = statsDecisions{RGDecided: rg.Total.Published, CGDecided: cg.Total.Published,
		RGMedian: r.Waiting.RGMedian, RGP90: r.Waiting.RGP90, CGMedian: r.Waiting.CGMedian, CGP90: r.Waiting.CGP90,
		RGTable: rg, CGTable: cg}
	return d
}

// latestRelease is the release the public pages serve; nil when none is published.
func (s *Server) latestRelease(w http.ResponseWriter, r *http.Request) (*statsData, bool) {
	if s.deps.Releases == nil {
		s.notFound(w, r)
		return nil, false
	}
	rel, err := s.deps.Releases.LatestRelease(r.Context())
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, true
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	return releaseData(rel, true, s.statsZone()), true
}

// statsZone is the partnership's time zone.
func (s *Server) statsZone() *time.Location {
	if s.deps.Stats != nil {
		return s.deps.Stats.Zone()
	}
	return time.UTC
}

// releaseByID reads the release named by the path; false when it answered.
func (s *Server) releaseByID(w http.ResponseWriter, r *http.Request, api bool) (*tropic.Release, bool) {
	fail := s.fail
	if api {
		fail = s.apiFail
	}
	if s.deps.Releases == nil {
		fail(w, r, tropic.Errorf(tropic.ENOTFOUND, "No such statistics release."))
		return nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		fail(w, r, tropic.Errorf(tropic.ENOTFOUND, "No such statistics release."))
		return nil, false
	}
	rel, err := s.deps.Releases.FindRelease(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return nil, false
	}
	return rel, true
}

func (s *Server) handlePublicRelease() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := s.releaseByID(w, r, false)
		if !ok {
			return
		}
		latest, err := s.deps.Releases.LatestRelease(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		d := releaseData(rel, latest.ID == rel.ID, s.statsZone())
		p := &statsPage{Layout: s.newLayout(r, "Statistics release "+rel.Name), statsData: d, Base: "/statistics/releases/" + rel.IDString()}
		p.publicInEnglish()
		s.render(w, r, http.StatusOK, "statistics", p)
	})
}

func (s *Server) handlePublicReleaseDownload() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := s.releaseByID(w, r, false)
		if !ok {
			return
		}
		s.writeStatsFile(w, r, releaseData(rel, false, s.statsZone()))
	})
}

type releaseListPage struct {
	Layout
	Releases []releaseListItem
}

type releaseListItem struct {
	ID, Name, Covers, PublishedAt string
	Revisions                     int
}

func (s *Server) handlePublicReleases() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list, ok := s.releaseList(w, r, s.fail)
		if !ok {
			return
		}
		p := &releaseListPage{Layout: s.newLayout(r, "Statistics releases")}
		p.publicInEnglish()
		for _, rel := range list {
			p.Releases = append(p.Releases, releaseListItem{ID: rel.IDString(), Name: rel.Name, Covers: rel.Covers.String(),
				PublishedAt: rel.PublishedAt.In(s.statsZone()).Format("2 January 2006"), Revisions: len(rel.Revisions)})
		}
		s.render(w, r, http.StatusOK, "statistics_releases", p)
	})
}

func (s *Server) releaseList(w http.ResponseWriter, r *http.Request, fail func(http.ResponseWriter, *http.Request, error)) ([]*tropic.Release, bool) {
	if s.deps.Releases == nil {
		fail(w, r, tropic.Errorf(tropic.ENOTFOUND, "No statistics are published here."))
		return nil, false
	}
	list, err := s.deps.Releases.FindReleases(r.Context())
	if err != nil {
		fail(w, r, err)
		return nil, false
	}
	return list, true
}

// The JSON form of releases.

type apiRelease struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	From        string `json:"from"`
	To          string `json:"to"`
	CutOff      string `json:"cut_off"`
	PublishedAt string `json:"published_at"`
	URL         string `json:"url"`
}

type apiReleaseFull struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	CutOff      string `json:"cut_off"`
	PublishedAt string `json:"published_at"`
	apiStats
	QuarterFrom     string            `json:"quarter_from"`
	QuarterTo       string            `json:"quarter_to"`
	QuarterReleased string            `json:"quarter_first_published_in"`
	RevisionsPolicy string            `json:"revisions_policy"`
	Revisions       []tropic.Revision `json:"revisions"`
	Waiting         map[string]string `json:"nrm_waiting_times"`
}

func apiReleaseOf(r *tropic.Release) apiRelease {
	return apiRelease{ID: r.ID, Name: r.Name, From: r.Covers.From.Format(time.DateOnly), To: r.Covers.To.Format(time.DateOnly),
		CutOff: r.CutOff.UTC().Format(time.RFC3339), PublishedAt: r.PublishedAt.UTC().Format(time.RFC3339),
		URL: "/api/v1/statistics/releases/" + r.IDString()}
}

func apiReleaseFullOf(r *tropic.Release, d *statsData) apiReleaseFull {
	out := apiReleaseFull{ID: r.ID, Name: r.Name, CutOff: r.CutOff.UTC().Format(time.RFC3339), PublishedAt: r.PublishedAt.UTC().Format(time.RFC3339),
		apiStats:    apiStatsOf(d),
		QuarterFrom: r.Quarter.From.Format(time.DateOnly), QuarterTo: r.Quarter.To.Format(time.DateOnly), QuarterReleased: r.QuarterFrom,
		RevisionsPolicy: tropic.RevisionsPolicy, Revisions: r.Revisions,
		Waiting: map[string]string{"rg_median": r.Waiting.RGMedian, "rg_p90": r.Waiting.RGP90, "cg_median": r.Waiting.CGMedian, "cg_p90": r.Waiting.CGP90}}
	if out.Revisions == nil {
		out.Revisions = []tropic.Revision{}
	}
	for _, t := range d.Trends {
		out.Tables = append(out.Tables, apiStatsTableFrom(t.statsTable, d))
	}
	return out
}

func (s *Server) handleAPIReleases() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list, ok := s.releaseList(w, r, s.apiFail)
		if !ok {
			return
		}
		out := struct {
			Releases []apiRelease `json:"releases"`
		}{Releases: []apiRelease{}}
		for _, rel := range list {
			out.Releases = append(out.Releases, apiReleaseOf(rel))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (s *Server) handleAPIRelease() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := s.releaseByID(w, r, true)
		if !ok {
			return
		}
		writeJSON(w, http.StatusOK, apiReleaseFullOf(rel, releaseData(rel, false, s.statsZone())))
	})
}
