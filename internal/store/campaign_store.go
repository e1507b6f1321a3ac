package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// CampaignService stores campaigns, counts reports around them, and reads the
// records behind the research export.
type CampaignService struct{ db *DB }

var (
	_ tropic.CampaignService = (*CampaignService)(nil)
	_ tropic.ExportService   = (*CampaignService)(nil)
)

// NewCampaignService returns the campaign service on db.
func NewCampaignService(db *DB) *CampaignService { return &CampaignService{db: db} }

func campaignForbidden(actor tropic.Actor) error { return tropic.MayManageCampaigns(actor) }

// CreateCampaign validates and stores a campaign.
func (s *CampaignService) CreateCampaign(ctx context.Context, actor tropic.Actor, c *tropic.Campaign) error {
	return s.save(ctx, actor, c, true)
}

// UpdateCampaign validates and stores changes to the campaign with c.ID.
func (s *CampaignService) UpdateCampaign(ctx context.Context, actor tropic.Actor, c *tropic.Campaign) error {
	return s.save(ctx, actor, c, false)
}

func (s *CampaignService) save(ctx context.Context, actor tropic.Actor, c *tropic.Campaign, create bool) error {
	if err := campaignForbidden(actor); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var other int64
	err = tx.QueryRow(ctx, `SELECT id FROM campaigns WHERE slug = ?`, c.Slug).Scan(&other)
	if err == nil && (create || other != c.ID) {
		return &tropic.Error{Code: tropic.EINVALID, Message: "Check the campaign's details.",
			Fields: map[string]string{"slug": "Another campaign already uses this web address name"}}
	} else if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("check campaign slug: %w", err)
	}
	for _, id := range c.AgencyIDs {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM agencies WHERE id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("check agency: %w", err)
		} else if n == 0 {
			return &tropic.Error{Code: tropic.EINVALID, Message: "Check the campaign's details.",
				Fields: map[string]string{"agencies": "Choose partner agencies from the list"}}
		}
	}
	c.UpdatedAt = tx.now
	tags := strings.Join(c.Hashtags, " ")
	action := tropic.AuditCampaignUpdated
	if create {
		c.CreatedAt = tx.now
		action = tropic.AuditCampaignCreated
		if err := tx.QueryRow(ctx, `INSERT INTO campaigns (name, slug, hashtags, starts_on, ends_on, description, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.Name, c.Slug, tags, c.StartsOn, c.EndsOn, c.Description, tx.now, tx.now).Scan(&c.ID); err != nil {
			return fmt.Errorf("create campaign: %w", err)
		}
	} else {
		res, err := tx.Exec(ctx, `UPDATE campaigns SET name = ?, slug = ?, hashtags = ?, starts_on = ?, ends_on = ?, description = ?, updated_at = ? WHERE id = ?`,
			c.Name, c.Slug, tags, c.StartsOn, c.EndsOn, c.Description, tx.now, c.ID)
		if err != nil {
			return fmt.Errorf("update campaign: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tropic.Errorf(tropic.ENOTFOUND, "Campaign not found.")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM campaign_agencies WHERE campaign_id = ?`, c.ID); err != nil {
			return fmt.Errorf("update campaign agencies: %w", err)
		}
	}
	seen := map[int64]bool{}
	for _, id := range c.AgencyIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, err := tx.Exec(ctx, `INSERT INTO campaign_agencies (campaign_id, agency_id) VALUES (?, ?)`, c.ID, id); err != nil {
			return fmt.Errorf("add campaign agency: %w", err)
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: action, objectType: "campaign", objectID: c.ID, detail: c.Slug}); err != nil {
		return err
	}
	return tx.Commit()
}

const campaignColumns = `id, name, slug, hashtags, starts_on, ends_on, description, created_at, updated_at`

func scanCampaign(sc interface{ Scan(...any) error }) (*tropic.Campaign, error) {
	c := &tropic.Campaign{}
	var tags string
	if err := sc.Scan(&c.ID, &c.Name, &c.Slug, &tags, &c.StartsOn, &c.EndsOn, &c.Description, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	c.Hashtags = strings.Fields(tags)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, nil
}

func (s *CampaignService) agencies(ctx context.Context, tx *Tx, cs []*tropic.Campaign) error {
	byID := map[int64]*tropic.Campaign{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	rows, err := tx.Query(ctx, `SELECT campaign_id, agency_id FROM campaign_agencies ORDER BY campaign_id, agency_id`)
	if err != nil {
		return fmt.Errorf("campaign agencies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid, aid int64
		if err := rows.Scan(&cid, &aid); err != nil {
			return err
		}
		if c := byID[cid]; c != nil {
			c.AgencyIDs = append(c.AgencyIDs, aid)
		}
	}
	return rows.Err()
}

// FindCampaign finds a campaign by its slug.
func (s *CampaignService) FindCampaign(ctx context.Context, slug string) (*tropic.Campaign, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := scanCampaign(tx.QueryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE slug = ?`, slug))
	if err == sql.ErrNoRows {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Campaign not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find campaign: %w", err)
	}
	return c, s.agencies(ctx, tx, []*tropic.Campaign{c})
}

// FindCampaigns lists every campaign, the latest start first.
func (s *CampaignService) FindCampaigns(ctx context.Context) ([]*tropic.Campaign, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT `+campaignColumns+` FROM campaigns ORDER BY starts_on DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("find campaigns: %w", err)
	}
	var out []*tropic.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.agencies(ctx, tx, out)
}

// CampaignEffect counts the reports around a campaign (analysts and administrators).
func (s *CampaignService) CampaignEffect(ctx context.Context, actor tropic.Actor, c *tropic.Campaign, from, to time.Time, weeks int) (*tropic.CampaignEffect, error) {
	if err := campaignForbidden(actor); err != nil {
		return nil, err
	}
	if weeks < 1 {
		weeks = 1
	}
	start := c.Start()
	before, after := start.AddDate(0, 0, -7*weeks), start.AddDate(0, 0, 7*weeks)
	lastFrom := tropic.CampaignLastYear(start)
	lastTo := lastFrom.AddDate(0, 0, 7*weeks)
	from, to = tropic.WeekStart(from), to.UTC()
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	e := &tropic.CampaignEffect{WindowWeeks: weeks}
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM reports WHERE how_heard = ?`, c.HowHeard()).Scan(&e.Attributed); err != nil {
		return nil, fmt.Errorf("count attributed reports: %w", err)
	}
	perWeek := map[time.Time]int{}
	byDistrict := map[string]*tropic.DistrictEffect{}
	district := func(slug string) *tropic.DistrictEffect {
		d := byDistrict[slug]
		if d == nil {
			d = &tropic.DistrictEffect{District: slug}
			byDistrict[slug] = d
		}
		return d
	}
	// Two ranges: the chart's weeks with the windows around the start, and the same
	// weeks a year earlier.
	for _, span := range [][2]time.Time{{minTime(from, before), maxTime(to, after)}, {lastFrom, lastTo}} {
		rows, err := tx.Query(ctx, `SELECT received_at, district FROM reports WHERE received_at >= ? AND received_at < ?`, span[0], span[1])
		if err != nil {
			return nil, fmt.Errorf("reports per week: %w", err)
		}
		for rows.Next() {
			var at time.Time
			var slug string
			if err := rows.Scan(&at, &slug); err != nil {
				rows.Close()
				return nil, err
			}
			at = at.UTC()
			switch {
			case span[0].Equal(lastFrom) && span[1].Equal(lastTo):
				e.LastYear++
				district(slug).LastYear++
				continue
			case !at.Before(before) && at.Before(start):
				e.Before++
				district(slug).Before++
			case !at.Before(start) && at.Before(after):
				e.After++
				district(slug).After++
			}
			if !at.Before(from) && at.Before(to) {
				perWeek[tropic.WeekStart(at)]++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	names, err := districtNames(ctx, tx)
	if err != nil {
		return nil, err
	}
	for slug, d := range byDistrict {
		d.Name = names[slug]
		if d.Name == "" {
			d.Name = tropic.NotRecorded
		}
		e.Districts = append(e.Districts, *d)
	}
	sort.Slice(e.Districts, func(i, j int) bool { return e.Districts[i].Name < e.Districts[j].Name })
	for w := from; w.Before(to); w = w.AddDate(0, 0, 7) {
		e.Weeks = append(e.Weeks, tropic.WeekCount{Start: w, Reports: perWeek[w]})
	}
	return e, nil
}

// ExportRecords lists the potential victims referred to the NRM (not Duty to Notify
// reports) for the research export: year, age band, gender, nationality, district and
// exploitation types, and nothing else. Analysts only.
func (s *CampaignService) ExportRecords(ctx context.Context, actor tropic.Actor) ([]tropic.ExportRecord, error) {
	if err := tropic.MayExportResearch(actor); err != nil {
		return nil, err
	}
	// A write transaction, so that the export is audited with what it read.
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT r.id, r.submitted_on, r.age_group, r.gender, r.nationality, r.exploitation,
		COALESCE(p.date_of_birth, ''), COALESCE(p.approx_age, 0), COALESCE(p.gender, ''), COALESCE(p.nationality, ''),
		COALESCE(d.name, c.district, '')
		FROM referrals r LEFT JOIN people p ON p.id = r.person_id LEFT JOIN cases c ON c.id = r.case_id
		LEFT JOIN districts d ON d.slug = c.district
		WHERE r.route = 'nrm' ORDER BY r.id`)
	if err != nil {
		return nil, fmt.Errorf("export records: %w", err)
	}
	defer rows.Close()
	var out []tropic.ExportRecord
	for rows.Next() {
		var id int64
		var approx int
		var submitted, ageGroup, gender, nat, expl, dob, pGender, pNat, district string
		if err := rows.Scan(&id, &submitted, &ageGroup, &gender, &nat, &expl, &dob, &approx, &pGender, &pNat, &district); err != nil {
			return nil, err
		}
		rec := tropic.ExportRecord{Gender: firstOf(gender, pGender), Nationality: tropic.KnownNationality(firstOf(nat, pNat)), District: firstOf(district)}
		sub, err := time.Parse(time.DateOnly, submitted)
		if err == nil {
			rec.Year = sub.Year()
		}
		// The age at referral, by the calendar (tropic.Person.AgeOn): unknown when the
		// submitted date is not.
		age := -1
		if err == nil {
			age = (&tropic.Person{DateOfBirth: dob, ApproxAge: approx}).AgeOn(sub)
		}
		rec.Age = age
		if age < 0 {
			rec.AgeGroup = tropic.AgeGroup(ageGroup)
		}
		set := tropic.ExploitationSet{Types: tropic.ParseExploitationTypes(expl)}
		rec.Exploitation = set.Types
		rec.Gender = strings.ToLower(rec.Gender)
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditResearchExport, objectType: "export",
		detail: fmt.Sprintf("HTCDS extract of %d NRM referrals", len(out))}); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return "unknown"
}

// districtNames maps each district's slug to its name.
func districtNames(ctx context.Context, tx *Tx) (map[string]string, error) {
	rows, err := tx.Query(ctx, `SELECT slug, name FROM districts`)
	if err != nil {
		return nil, fmt.Errorf("district names: %w", err)
	}
	defer rows.Close()
	names := map[string]string{}
	for rows.Next() {
		var slug, name string
		if err := rows.Scan(&slug, &name); err != nil {
			return nil, err
		}
		names[slug] = name
	}
	return names, rows.Err()
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
