package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// ReleaseService keeps the statistics releases. A release is inserted once and
// never changed: the table's triggers refuse UPDATE and DELETE on both databases,
// and every read checks the stored SHA-256 of what it reads, so a release altered
// behind the store's back is refused rather than served.
type ReleaseService struct {
	db *DB
}

var _ tropic.ReleaseStore = (*ReleaseService)(nil)

// NewReleaseService returns the release store on db.
func NewReleaseService(db *DB) *ReleaseService { return &ReleaseService{db: db} }

// PublishRelease stores a release, published now.
func (s *ReleaseService) PublishRelease(ctx context.Context, actor tropic.Actor, r *tropic.Release) (*tropic.Release, error) {
	if err := tropic.MayPublishRelease(actor); err != nil {
		return nil, err
	}
	out := *r
	out.PublishedAt = s.db.now().UTC().Truncate(time.Second)
	content, err := out.Content()
	if err != nil {
		return nil, err
	}
	truth, err := out.TruthContent()
	if err != nil {
		return nil, err
	}
	out.Hash = tropic.ReleaseHash(content, truth)
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out.ID, err = tx.insert(ctx, `INSERT INTO stats_releases (name, covers_from, covers_to, cut_off, published_at, content, truth, sha256)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, out.Name, out.Covers.From.Format(time.DateOnly), out.Covers.To.Format(time.DateOnly),
		out.CutOff.UTC(), out.PublishedAt, string(content), string(truth), out.Hash)
	if err != nil {
		if tropic.ErrorCode(err) == tropic.ECONFLICT || isUniqueViolation(err) {
			return nil, tropic.Errorf(tropic.ECONFLICT, "Release %s is published already; releases are never changed.", out.Name)
		}
		return nil, fmt.Errorf("publish release: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditStatsReleased, objectType: "stats_release", objectID: out.ID,
		detail: "release " + out.Name + " covering " + out.Covers.String()}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return &out, nil
}

const releaseColumns = `id, content, truth, sha256`

func scanRelease(sc interface{ Scan(...any) error }) (*tropic.Release, error) {
	var id int64
	var content, truth, sum string
	if err := sc.Scan(&id, &content, &truth, &sum); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, tropic.Errorf(tropic.ENOTFOUND, "No such statistics release.")
		}
		return nil, err
	}
	if tropic.ReleaseHash([]byte(content), []byte(truth)) != sum {
		return nil, fmt.Errorf("statistics release %d does not match its hash: it has been altered", id)
	}
	var r tropic.Release
	if err := json.Unmarshal([]byte(content), &r); err != nil {
		return nil, fmt.Errorf("statistics release %d: %w", id, err)
	}
	if err := json.Unmarshal([]byte(truth), &r.Truth); err != nil {
		return nil, fmt.Errorf("statistics release %d: %w", id, err)
	}
	r.ID, r.Hash = id, sum
	return &r, nil
}

// FindReleases lists every release, the one covering the latest data first.
func (s *ReleaseService) FindReleases(ctx context.Context) ([]*tropic.Release, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT `+releaseColumns+` FROM stats_releases ORDER BY covers_to DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("find releases: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Release
	for rows.Next() {
		r, err := scanRelease(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindRelease is one release.
func (s *ReleaseService) FindRelease(ctx context.Context, id int64) (*tropic.Release, error) {
	return s.one(ctx, `SELECT `+releaseColumns+` FROM stats_releases WHERE id = ?`, id)
}

// LatestRelease is the release covering the latest data.
func (s *ReleaseService) LatestRelease(ctx context.Context) (*tropic.Release, error) {
	return s.one(ctx, `SELECT `+releaseColumns+` FROM stats_releases ORDER BY covers_to DESC, id DESC LIMIT 1`)
}

func (s *ReleaseService) one(ctx context.Context, q string, args ...any) (*tropic.Release, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return scanRelease(tx.QueryRow(ctx, q, args...))
}
