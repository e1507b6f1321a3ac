package web

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"mime/multipart"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// The authorisation matrix's rows for campaigns' posters: uploading and removing
// them is for whoever manages campaigns; the image itself is public.

// multipartPageBody is a multipart form posted to a browser route (a file upload).
type multipartPageBody struct {
	ctype string
	body  []byte
}

// posterUpload is the upload form with a description and an image.
func posterUpload(t testing.TB, alt string, file []byte) multipartPageBody {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if err := mw.WriteField("alt", alt); err != nil {
		t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("poster", "poster.png")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	mw.Close()
	return multipartPageBody{ctype: mw.FormDataContentType(), body: b.Bytes()}
}

// smallPNG is a small synthetic PNG.
func smallPNG(t testing.TB) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 6, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// addPoster adds a poster to the campaign, for the rows that read or remove it.
func (f *matrixFixture) addPoster(slug string) {
	f.t.Helper()
	p, err := f.ts.srv.deps.Posters.AddPoster(context.Background(), testAdmin, slug, smallPNG(f.t), "A grey rectangle")
	f.must(err)
	f.posterSlug, f.posterID = slug, p.ID
}

// freshPosterCampaign makes a campaign with one poster for the next call, so that no
// call meets the limit of posters per campaign or a poster already removed.
func (f *matrixFixture) freshPosterCampaign(*matrixFixture, *matrixUser) {
	f.t.Helper()
	now := f.ts.clock.Now()
	c := &tropic.Campaign{Name: "Matrix posters " + tropic.NewPosterID()[:12],
		StartsOn: now.Format(time.DateOnly), EndsOn: now.AddDate(0, 0, 7).Format(time.DateOnly)}
	f.must(f.ts.srv.deps.Campaigns.CreateCampaign(context.Background(), testAdmin, c))
	f.addPoster(c.Slug)
}

func posterUploadRow() matrixRow {
	return matrixRow{name: "POST /staff/campaigns/{slug}/posters", rule: mayManageCampaigns,
		before: func(f *matrixFixture, u *matrixUser) { f.freshPosterCampaign(f, u) },
		path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
			if missing {
				return "/staff/campaigns/no-such-campaign/posters"
			}
			return "/staff/campaigns/" + f.posterSlug + "/posters"
		},
		body: func(f *matrixFixture, _ *matrixUser) any { return posterUpload(f.t, "A grey rectangle", smallPNG(f.t)) }}
}

func posterRemoveRow() matrixRow {
	return matrixRow{name: "POST /staff/campaigns/{slug}/posters/{id}/remove", rule: mayManageCampaigns,
		before: func(f *matrixFixture, u *matrixUser) { f.freshPosterCampaign(f, u) },
		path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
			if missing {
				return "/staff/campaigns/" + f.posterSlug + "/posters/" + tropic.NewPosterID() + "/remove"
			}
			return "/staff/campaigns/" + f.posterSlug + "/posters/" + f.posterID + "/remove"
		},
		body: formBody()}
}
