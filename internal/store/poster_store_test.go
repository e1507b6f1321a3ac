package store_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func posterPNG(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 12, 9))
	img.Set(1, 1, color.NRGBA{255, 0, 0, 255})
	var b bytes.Buffer
	must(t, png.Encode(&b, img))
	return b.Bytes()
}

func TestCampaignPosters(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		svc := store.NewCampaignService(e.db)
		ag := e.agency(t, "Hertfordshire County Council")
		analyst := tropic.Actor{UserID: 1, AgencyID: ag.ID, Roles: []tropic.Role{tropic.RoleAnalyst}}
		worker := tropic.Actor{UserID: 2, AgencyID: ag.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
		c := &tropic.Campaign{Name: "Posters 2026", StartsOn: "2026-03-10", EndsOn: "2026-03-16"}
		must(t, svc.CreateCampaign(ctx, admin, c))
		other := &tropic.Campaign{Name: "Other 2026", StartsOn: "2026-03-10", EndsOn: "2026-03-16"}
		must(t, svc.CreateCampaign(ctx, admin, other))
		img := posterPNG(t)

		_, err := svc.AddPoster(ctx, worker, c.Slug, img, "A red dot")
		wantCode(t, err, tropic.EFORBIDDEN)
		_, err = svc.AddPoster(ctx, analyst, "no-such-campaign", img, "A red dot")
		wantCode(t, err, tropic.ENOTFOUND)
		_, err = svc.AddPoster(ctx, analyst, c.Slug, []byte("<html>"), "A red dot")
		wantField(t, err, "poster")
		_, err = svc.AddPoster(ctx, analyst, c.Slug, img, "")
		wantField(t, err, "alt")

		p, err := svc.AddPoster(ctx, analyst, c.Slug, img, "A red dot")
		must(t, err)
		if ev := e.lastEvent(t); ev.Action != tropic.AuditPosterAdded || ev.ObjectID != c.ID {
			t.Errorf("audit after adding: %+v", ev)
		}
		list, err := svc.FindPosters(ctx, c.Slug)
		must(t, err)
		if len(list) != 1 || list[0].ID != p.ID || list[0].Alt != "A red dot" || list[0].Width != 12 || list[0].Height != 9 || list[0].Data != nil || list[0].Size != len(p.Data) {
			t.Fatalf("posters: %+v", list)
		}
		got, err := svc.FindPoster(ctx, c.Slug, p.ID)
		must(t, err)
		if got.ContentType != "image/png" || !bytes.Equal(got.Data, p.Data) {
			t.Fatalf("poster read back: %s, %d bytes", got.ContentType, len(got.Data))
		}
		// Another campaign's address does not reach it, nor does a made-up id.
		_, err = svc.FindPoster(ctx, other.Slug, p.ID)
		wantCode(t, err, tropic.ENOTFOUND)
		_, err = svc.FindPoster(ctx, c.Slug, tropic.NewPosterID())
		wantCode(t, err, tropic.ENOTFOUND)
		_, err = svc.FindPoster(ctx, c.Slug, "../../etc")
		wantCode(t, err, tropic.ENOTFOUND)
		wantCode(t, svc.RemovePoster(ctx, analyst, other.Slug, p.ID), tropic.ENOTFOUND)
		wantCode(t, svc.RemovePoster(ctx, worker, c.Slug, p.ID), tropic.EFORBIDDEN)

		// The limit on posters per campaign.
		for i := 1; i < tropic.MaxCampaignPosters; i++ {
			_, err := svc.AddPoster(ctx, analyst, c.Slug, img, "Another")
			must(t, err)
		}
		_, err = svc.AddPoster(ctx, analyst, c.Slug, img, "One too many")
		wantField(t, err, "poster")

		must(t, svc.RemovePoster(ctx, analyst, c.Slug, p.ID))
		if ev := e.lastEvent(t); ev.Action != tropic.AuditPosterRemoved {
			t.Errorf("audit after removing: %+v", ev)
		}
		_, err = svc.FindPoster(ctx, c.Slug, p.ID)
		wantCode(t, err, tropic.ENOTFOUND)
		wantCode(t, svc.RemovePoster(ctx, analyst, c.Slug, p.ID), tropic.ENOTFOUND) // replayed
	})
}
