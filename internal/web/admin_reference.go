package web

import (
	"context"
	"net/http"
	"time"

	"tropic/internal/tropic"
)

// Reference data, for partnership administrators: the districts reports and cases are
// placed in, and the one-off bank holidays working-day deadlines count. Each change is
// audited and shows on the administration history.

type adminDistrictsPage struct {
	AdminLayout
	Districts []tropic.District
	Slug      string
	Name      string
}

func (s *Server) handleAdminDistricts() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderDistricts(w, r, http.StatusOK, "", "", nil)
	})
}

func (s *Server) renderDistricts(w http.ResponseWriter, r *http.Request, status int, slug, name string, problems []FieldError) {
	districts, err := s.deps.Reports.FindDistricts(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := &adminDistrictsPage{AdminLayout: s.adminLayout(r, "Districts", "districts"), Districts: districts, Slug: slug, Name: name}
	p.Errors = problems
	s.render(w, r, status, "admin_districts", p)
}

func (s *Server) handleAdminDistrictAdd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		d := tropic.District{Slug: r.PostFormValue("slug"), Name: r.PostFormValue("name")}
		err := s.deps.Reports.CreateDistrict(r.Context(), actorOf(r), d)
		if code := tropic.ErrorCode(err); code == tropic.EINVALID || code == tropic.ECONFLICT {
			s.renderDistricts(w, r, statusFor(code), d.Slug, d.Name, errorsFrom(err, "name", "slug"))
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, "District added.", "/admin/districts")
	})
}

type holidayRow struct {
	Date, Weekday, Name string
}

type holidayChangeRow struct {
	Date, Name, Kind string
}

type adminHolidaysPage struct {
	AdminLayout
	Years   []int
	ByYear  map[int][]holidayRow
	Changes []holidayChangeRow
	Date    string
	Name    string
	Removed bool
}

func (s *Server) handleAdminHolidays() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderHolidays(w, r, http.StatusOK, &adminHolidaysPage{}, nil)
	})
}

func (s *Server) renderHolidays(w http.ResponseWriter, r *http.Request, status int, typed *adminHolidaysPage, problems []FieldError) {
	if s.deps.Holidays == nil {
		s.notFound(w, r)
		return
	}
	changes, err := s.deps.Holidays.HolidayChanges(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := typed
	p.AdminLayout = s.adminLayout(r, "Bank holidays", "holidays")
	p.Errors = problems
	year := s.now().In(partnershipZone).Year()
	p.Years, p.ByYear = []int{year, year + 1}, map[int][]holidayRow{}
	names := map[string]string{}
	for _, c := range changes {
		kind := "Added"
		if c.Removed {
			kind = "Removed"
		} else {
			names[c.Date] = c.Name
		}
		p.Changes = append(p.Changes, holidayChangeRow{Date: caseDate(c.Date), Name: c.Name, Kind: kind})
	}
	for _, y := range p.Years {
		for _, d := range tropic.BankHolidays(y, changes) {
			day := d.Format(time.DateOnly)
			p.ByYear[y] = append(p.ByYear[y], holidayRow{Date: d.Format("2 January 2006"), Weekday: d.Weekday().String(), Name: names[day]})
		}
	}
	s.render(w, r, status, "admin_holidays", p)
}

func (s *Server) handleAdminHolidayAdd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Holidays == nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		typed := &adminHolidaysPage{Date: r.PostFormValue("date"), Name: r.PostFormValue("name"), Removed: r.PostFormValue("removed") != ""}
		c := tropic.HolidayChange{Date: typed.Date, Name: typed.Name, Removed: typed.Removed}
		if d, ok := parseTypedDate(typed.Date); ok {
			c.Date = d.Format(time.DateOnly)
		}
		err := s.deps.Holidays.AddHolidayChange(r.Context(), actorOf(r), c)
		if code := tropic.ErrorCode(err); code == tropic.EINVALID || code == tropic.ECONFLICT {
			s.renderHolidays(w, r, statusFor(code), typed, errorsFrom(err, "date", "name"))
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, "Bank holiday change recorded for "+caseDate(c.Date)+". Working-day deadlines count it from now.", "/admin/holidays")
	})
}

// settings are the settings in force: the stored ones over the server's flags.
func (s *Server) settings(ctx context.Context) (tropic.Settings, error) {
	if s.deps.Reference == nil {
		return tropic.Settings{DisclosureThreshold: s.cfg.StatsThreshold, TriageTargets: s.cfg.TriageTargets,
			AcknowledgeTargets: s.cfg.AcknowledgeTargets}.WithDefaults(), nil
	}
	return s.deps.Reference.FindSettings(ctx)
}
