package web

import (
	"bytes"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

// jpegWithExif is a synthetic JPEG photo with an APP1 Exif segment, written by hand
// straight after the SOI marker, holding a made-up GPS position.
func jpegWithExif(t *testing.T, secret string) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 30, 20))
	img.Set(3, 3, color.RGBA{0, 90, 110, 255})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	jpg := b.Bytes()
	payload := append([]byte("Exif\x00\x00II\x2a\x00\x08\x00\x00\x00"), secret...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	out := append(append(append([]byte{}, jpg[:2]...), seg...), payload...)
	return append(out, jpg[2:]...)
}

var posterSrcRE = regexp.MustCompile(`<img class="app-poster" src="(/campaigns/[a-z0-9-]+/posters/[0-9a-f]{32})" alt="([^"]*)"`)

func TestCampaignPosterPages(t *testing.T) {
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("analyst@example.org", tropic.RoleAnalyst)
	ts.addUser("worker@example.org", tropic.RoleCaseworker)
	an := ts.client(t)
	an.signInWaived("analyst@example.org")
	now := ts.clock.Now()
	if r := an.post("/staff/campaigns/new", url.Values{"name": {"Look closer"}, "starts_on": {now.Format("2006-01-02")},
		"ends_on": {now.AddDate(0, 0, 5).Format("2006-01-02")}}); r.status != 303 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	const upload = "/staff/campaigns/look-closer/posters"
	send := func(c *client, alt string, file []byte) *response {
		m := posterUpload(t, alt, file)
		return c.postRaw(upload, string(m.body), "Content-Type", m.ctype)
	}
	edit := an.get("/staff/campaigns/look-closer/edit")
	if !strings.Contains(edit.body, `enctype="multipart/form-data"`) || !strings.Contains(edit.body, "no posters yet") {
		t.Fatalf("the edit page has no upload form:\n%s", edit.body)
	}

	// Another role is refused, and nothing is kept.
	worker := ts.client(t)
	worker.signInWaived("worker@example.org")
	if r := send(worker, "A poster", smallPNG(t)); r.status != 404 {
		t.Fatalf("a caseworker uploading: %d", r.status)
	}

	// Refused uploads: each names the field and keeps the description typed.
	html5 := []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>")
	for name, c := range map[string]struct {
		file []byte
		want string
	}{
		"html named .png":  {html5, "must be a PNG or JPEG image"},
		"png polyglot":     {append([]byte("\x89PNG\r\n\x1a\n"), html5...), "must be a PNG or JPEG image"},
		"html then png":    {append(append([]byte{}, html5...), smallPNG(t)...), "must be a PNG or JPEG image"},
		"over the limit":   {append(smallPNG(t), make([]byte, tropic.MaxPosterBytes)...), "must be 5 MB or smaller"},
		"far over a limit": {append(smallPNG(t), make([]byte, maxPosterRequest)...), "must be 5 MB or smaller"},
		"no file":          {nil, "Choose a PNG or JPEG image"},
	} {
		r := send(an, "Kept description "+name, c.file)
		if r.status != 422 || !strings.Contains(r.body, c.want) || !strings.Contains(r.body, `href="#poster"`) ||
			!strings.Contains(r.body, `value="Kept description `+html.EscapeString(name)+`"`) {
			t.Errorf("%s: %d, want 422 saying %q for the poster and keeping the description:\n%s", name, r.status, c.want, mainContent(r.body))
		}
	}
	if r := send(an, "", smallPNG(t)); r.status != 422 || !strings.Contains(r.body, `href="#alt"`) {
		t.Errorf("no description: %d\n%s", r.status, mainContent(r.body))
	}
	if r := an.post(upload, url.Values{"alt": {"x"}}); r.status != 400 {
		t.Errorf("a form that is not multipart: %d", r.status)
	}
	if list, _ := ts.srv.deps.Posters.FindPosters(t.Context(), "look-closer"); len(list) != 0 {
		t.Fatalf("refused uploads kept %d posters", len(list))
	}

	// A photo with a GPS position: kept, served without its Exif segment.
	const secret = "GPSLatitude 51.7520 N"
	r := send(an, "People outside a car wash", jpegWithExif(t, secret))
	if r.status != 303 || r.location() != "/staff/campaigns/look-closer/edit#posters" {
		t.Fatalf("upload: %d %s %s", r.status, r.location(), mainContent(r.body))
	}
	if r := an.get("/staff/campaigns/look-closer/edit"); !strings.Contains(r.body, "Poster added") || !posterSrcRE.MatchString(r.body) {
		t.Fatalf("the edit page after the upload:\n%s", mainContent(r.body))
	}
	pub := ts.client(t).get("/campaigns/look-closer")
	m := posterSrcRE.FindStringSubmatch(pub.body)
	if m == nil || m[2] != "People outside a car wash" {
		t.Fatalf("the public page shows no poster with its description:\n%s", mainContent(pub.body))
	}
	img := ts.client(t).get(m[1])
	h := img.header
	if img.status != 200 || h.Get("Content-Type") != "image/jpeg" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(h.Get("Cache-Control"), "max-age=") || !strings.Contains(h.Get("Content-Security-Policy"), "img-src 'self'") {
		t.Fatalf("the poster: %d %v", img.status, h)
	}
	if strings.Contains(img.body, "Exif") || strings.Contains(img.body, secret) {
		t.Error("the served poster still holds the Exif segment")
	}
	if _, err := jpeg.Decode(strings.NewReader(img.body)); err != nil {
		t.Errorf("the served poster does not decode: %v", err)
	}
	// The share links carry no tracking parameters, and the page loads nothing from
	// elsewhere.
	for _, bad := range []string{"utm_", "fbclid", "<script src=\"http", "<img src=\"http"} {
		if strings.Contains(pub.body, bad) {
			t.Errorf("the public page holds %q", bad)
		}
	}
	if !strings.Contains(pub.body, `app-url">http`) || !strings.Contains(pub.body, "mailto:?subject=") {
		t.Error("the public page lacks the address to copy or the e-mail link")
	}

	// Another campaign's address and a made-up id find nothing.
	id := m[1][strings.LastIndex(m[1], "/")+1:]
	for _, p := range []string{"/campaigns/nope/posters/" + id, "/campaigns/look-closer/posters/" + tropic.NewPosterID(), "/campaigns/look-closer/posters/x"} {
		if r := ts.client(t).get(p); r.status != 404 {
			t.Errorf("%s: %d", p, r.status)
		}
	}

	// Removing: refused to another role, done by the analyst, and a replay finds nothing.
	remove := "/staff/campaigns/look-closer/posters/" + id + "/remove"
	if r := worker.post(remove, nil); r.status != 404 {
		t.Errorf("a caseworker removing: %d", r.status)
	}
	if r := an.post(remove, nil); r.status != 303 {
		t.Fatalf("remove: %d %s", r.status, mainContent(r.body))
	}
	if r := an.post(remove, nil); r.status != 404 {
		t.Errorf("remove again: %d", r.status)
	}
	if r := ts.client(t).get(m[1]); r.status != 404 {
		t.Errorf("a removed poster is still served: %d", r.status)
	}
}

func FuzzReadPosterParts(f *testing.F) {
	good := posterUpload(f, "A poster", smallPNG(f))
	boundary := good.ctype[strings.Index(good.ctype, "boundary=")+len("boundary="):]
	f.Add(good.body)
	f.Add([]byte("--" + boundary + "\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nx\r\n--" + boundary + "--\r\n"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, body []byte) {
		alt, data, err := readPosterParts(multipart.NewReader(bytes.NewReader(body), boundary))
		if err != nil {
			if alt != "" || data != nil {
				t.Fatal("an unreadable form returned what it read")
			}
			return
		}
		if len(alt) > maxPosterAltBytes || len(data) > tropic.MaxPosterBytes+1 {
			t.Fatalf("read past the limits: %d, %d", len(alt), len(data))
		}
	})
}
