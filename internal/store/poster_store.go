package store

import (
	"context"
	"database/sql"
	"fmt"

	"tropic/internal/tropic"
)

var _ tropic.PosterService = (*CampaignService)(nil)

// AddPoster checks, cleans and keeps a poster for the campaign. The image is decoded
// and encoded again (tropic.PreparePoster) before the transaction begins, so that the
// slow part holds no lock; the count limit is checked inside it.
func (s *CampaignService) AddPoster(ctx context.Context, actor tropic.Actor, slug string, data []byte, alt string) (*tropic.Poster, error) {
	if err := campaignForbidden(actor); err != nil {
		return nil, err
	}
	p, err := tropic.PreparePoster(data, alt)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.QueryRow(ctx, `SELECT id FROM campaigns WHERE slug = ?`+tx.db.forUpdate(), slug).Scan(&p.CampaignID); err == sql.ErrNoRows {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Campaign not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find campaign: %w", err)
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM campaign_posters WHERE campaign_id = ?`, p.CampaignID).Scan(&n); err != nil {
		return nil, fmt.Errorf("count posters: %w", err)
	}
	if err := tropic.CheckPosterCount(n); err != nil {
		return nil, err
	}
	p.CreatedAt = tx.now
	if _, err := tx.Exec(ctx, `INSERT INTO campaign_posters (id, campaign_id, content_type, width, height, alt, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, p.CampaignID, p.ContentType, p.Width, p.Height, p.Alt, p.Data, tx.now); err != nil {
		return nil, fmt.Errorf("add poster: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditPosterAdded, objectType: "campaign", objectID: p.CampaignID,
		detail: fmt.Sprintf("%s %s %s %dx%d", slug, p.ID, p.ContentType, p.Width, p.Height)}); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// RemovePoster removes a poster of the campaign.
func (s *CampaignService) RemovePoster(ctx context.Context, actor tropic.Actor, slug, id string) error {
	if err := campaignForbidden(actor); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var cid int64
	if err := tx.QueryRow(ctx, `SELECT c.id FROM campaign_posters p JOIN campaigns c ON c.id = p.campaign_id WHERE c.slug = ? AND p.id = ?`, slug, id).Scan(&cid); err == sql.ErrNoRows {
		return tropic.Errorf(tropic.ENOTFOUND, "Poster not found.")
	} else if err != nil {
		return fmt.Errorf("find poster: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM campaign_posters WHERE id = ? AND campaign_id = ?`, id, cid); err != nil {
		return fmt.Errorf("remove poster: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditPosterRemoved, objectType: "campaign", objectID: cid, detail: slug + " " + id}); err != nil {
		return err
	}
	return tx.Commit()
}

const posterColumns = `p.id, p.campaign_id, p.content_type, p.width, p.height, p.alt, p.created_at`

// FindPosters lists the campaign's posters, oldest first, without their bytes.
func (s *CampaignService) FindPosters(ctx context.Context, slug string) ([]*tropic.Poster, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT `+posterColumns+`, LENGTH(p.data) FROM campaign_posters p JOIN campaigns c ON c.id = p.campaign_id
		WHERE c.slug = ? ORDER BY p.created_at, p.id`, slug)
	if err != nil {
		return nil, fmt.Errorf("find posters: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Poster
	for rows.Next() {
		p := &tropic.Poster{}
		if err := rows.Scan(&p.ID, &p.CampaignID, &p.ContentType, &p.Width, &p.Height, &p.Alt, &p.CreatedAt, &p.Size); err != nil {
			return nil, err
		}
		p.CreatedAt = p.CreatedAt.UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// FindPoster reads one poster of the campaign with its bytes.
func (s *CampaignService) FindPoster(ctx context.Context, slug, id string) (*tropic.Poster, error) {
	if !tropic.ValidPosterID(id) {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Poster not found.")
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p := &tropic.Poster{}
	err = tx.QueryRow(ctx, `SELECT `+posterColumns+`, p.data FROM campaign_posters p JOIN campaigns c ON c.id = p.campaign_id
		WHERE c.slug = ? AND p.id = ?`, slug, id).Scan(&p.ID, &p.CampaignID, &p.ContentType, &p.Width, &p.Height, &p.Alt, &p.CreatedAt, &p.Data)
	if err == sql.ErrNoRows {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Poster not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find poster: %w", err)
	}
	p.Size, p.CreatedAt = len(p.Data), p.CreatedAt.UTC()
	return p, nil
}
