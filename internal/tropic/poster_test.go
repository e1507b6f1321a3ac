package tropic

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

func testPNG(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, x%h, color.NRGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func testJPEG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, x%h, color.RGBA{30, 30, 200, 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withExif puts an APP1 Exif segment, holding a GPS-like marker string, straight after
// the JPEG's SOI marker, as a phone camera does.
func withExif(jpg []byte, secret string) []byte {
	payload := append([]byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08"), []byte(secret)...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

func TestPreparePosterStripsExif(t *testing.T) {
	const secret = "GPS 51.7520N 0.3360W"
	in := withExif(testJPEG(t, 40, 30), secret)
	if !bytes.Contains(in, []byte("Exif\x00\x00")) || !bytes.Contains(in, []byte(secret)) {
		t.Fatal("the test JPEG has no Exif segment")
	}
	p, err := PreparePoster(in, "A blue line on white")
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	if p.ContentType != "image/jpeg" || p.Width != 40 || p.Height != 30 || !ValidPosterID(p.ID) {
		t.Errorf("poster %+v", p)
	}
	if bytes.Contains(p.Data, []byte("Exif")) || bytes.Contains(p.Data, []byte(secret)) {
		t.Error("the kept poster still holds the Exif segment")
	}
	for i := 0; i+1 < len(p.Data); i++ { // no APP1 marker at all
		if p.Data[i] == 0xFF && p.Data[i+1] == 0xE1 {
			t.Fatalf("the kept poster has an APP1 segment at %d", i)
		}
	}
	if _, err := jpeg.Decode(bytes.NewReader(p.Data)); err != nil {
		t.Errorf("the kept poster does not decode: %v", err)
	}
}

func TestPreparePosterStripsPNGText(t *testing.T) {
	in := testPNG(t, 20, 10)
	// A tEXt chunk before IEND (CRC need not be right for this check of the output).
	iend := bytes.LastIndex(in, []byte("IEND")) - 4
	chunk := append([]byte{0, 0, 0, 12}, []byte("tEXtComment\x00x")...)
	chunk = append(chunk[:len(chunk)-1], 'Z', 0, 0, 0, 0)
	in = append(append(append([]byte{}, in[:iend]...), chunk...), in[iend:]...)
	p, err := PreparePoster(in, "A red line")
	if err != nil {
		// Go's decoder checks CRCs; an upload it cannot read is refused, which is also safe.
		wantPosterField(t, err, "poster")
		return
	}
	if bytes.Contains(p.Data, []byte("tEXt")) {
		t.Error("the kept PNG still holds a text chunk")
	}
}

func wantPosterField(t *testing.T, err error, field string) string {
	t.Helper()
	msg := ErrorFields(err)[field]
	if ErrorCode(err) != EINVALID || msg == "" {
		t.Fatalf("got %v (fields %v), want a message for %s", err, ErrorFields(err), field)
	}
	return msg
}

func TestPreparePosterRefuses(t *testing.T) {
	png1 := testPNG(t, 8, 8)
	html := []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")
	gif := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	// A polyglot: PNG magic bytes followed by HTML, which no PNG decoder reads.
	polyglot := append([]byte("\x89PNG\r\n\x1a\n"), html...)
	// HTML first, then a real PNG: sniffed as HTML.
	disguised := append(append([]byte{}, html...), png1...)
	// A header promising a huge image in a small file (a decompression bomb).
	bomb := append([]byte{}, png1...)
	bomb[16], bomb[17], bomb[18], bomb[19] = 0, 0, 0x75, 0x30 // width 30000
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"empty":     {nil, "Choose a PNG or JPEG"},
		"html":      {html, "PNG or JPEG"},
		"gif":       {gif, "PNG or JPEG"},
		"polyglot":  {polyglot, "PNG or JPEG"},
		"disguised": {disguised, "PNG or JPEG"},
		"truncated": {png1[:len(png1)-20], "PNG or JPEG"},
		"bomb":      {bomb, "6000 by 6000"},
		"too big":   {append(append([]byte{}, png1...), make([]byte, MaxPosterBytes)...), "5 MB"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := PreparePoster(c.data, "A poster")
			if msg := wantPosterField(t, err, "poster"); !strings.Contains(msg, c.want) {
				t.Errorf("message %q, want it to say %q", msg, c.want)
			}
		})
	}
	_, err := PreparePoster(png1, "  ")
	wantPosterField(t, err, "alt")
	_, err = PreparePoster(png1, strings.Repeat("a", MaxPosterAlt+1))
	wantPosterField(t, err, "alt")
	_, err = PreparePoster(png1, "a\u202eb")
	wantPosterField(t, err, "alt")
	if p, err := PreparePoster(png1, " A red square "); err != nil || p.Alt != "A red square" || p.ContentType != "image/png" {
		t.Errorf("a good PNG: %+v, %v", p, err)
	}
	if err := CheckPosterCount(MaxCampaignPosters); ErrorFields(err)["poster"] == "" {
		t.Errorf("the %dth poster: %v", MaxCampaignPosters+1, err)
	}
}

func FuzzPreparePoster(f *testing.F) {
	f.Add(testPNG(f, 4, 3), "alt")
	f.Add(testJPEG(f, 5, 2), "alt")
	f.Add(withExif(testJPEG(f, 3, 3), "GPS"), "x")
	f.Add([]byte("<html>"), "")
	f.Fuzz(func(t *testing.T, data []byte, alt string) {
		p, err := PreparePoster(data, alt)
		if err != nil {
			if ErrorCode(err) != EINVALID || len(ErrorFields(err)) == 0 {
				t.Fatalf("an error that names no field: %v", err)
			}
			return
		}
		if p.ContentType != "image/png" && p.ContentType != "image/jpeg" {
			t.Fatalf("content type %q", p.ContentType)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(p.Data))
		if err != nil || "image/"+format != p.ContentType || cfg.Width != p.Width || cfg.Height != p.Height {
			t.Fatalf("the kept image: %v %s %dx%d, poster %dx%d", err, format, cfg.Width, cfg.Height, p.Width, p.Height)
		}
		if p.Alt == "" || !ValidPosterID(p.ID) {
			t.Fatalf("poster %+v", p)
		}
	})
}
