package tropic

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Poster is an image or poster a campaign's coordinator uploads for its public page.
// Its bytes are the re-encoded image: whatever metadata the upload carried (EXIF,
// GPS position, camera, comments) is gone. ID is opaque and random, so the address
// of a poster says nothing and cannot be guessed.
type Poster struct {
	ID          string    `json:"id"`
	CampaignID  int64     `json:"campaign_id"`
	ContentType string    `json:"content_type"` // image/png or image/jpeg
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Alt         string    `json:"alt"`
	Size        int       `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
	Data        []byte    `json:"-"`
}

// Limits of posters.
const (
	MaxPosterBytes     = 5 << 20 // the upload, before re-encoding
	MaxPosterSide      = 6000    // pixels, each way, checked before the image is decoded
	MaxPosterAlt       = 250     // characters of alternative text
	MaxCampaignPosters = 10
)

// Audit actions of posters.
const (
	AuditPosterAdded   = "campaign.poster_added"
	AuditPosterRemoved = "campaign.poster_removed"
)

var posterIDRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

// ValidPosterID says whether s has the form of a poster's id.
func ValidPosterID(s string) bool { return posterIDRE.MatchString(s) }

// NewPosterID makes a random poster id: 128 bits as hex.
func NewPosterID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func posterInvalid(fields map[string]string) error {
	return &Error{Code: EINVALID, Message: "Check the poster.", Fields: fields}
}

// PreparePoster checks an upload and its alternative text and makes the poster to
// keep: only PNG and JPEG, recognised by their content (never by the file's name or
// the type the browser claims), at most MaxPosterBytes and MaxPosterSide pixels each
// way (read from the header before the pixels are decoded, so a small file cannot
// ask for a huge image), decoded in full and encoded again, which keeps the pixels
// and drops every other part of the file. The fields at fault are "poster" and "alt".
func PreparePoster(data []byte, alt string) (*Poster, error) {
	fields := map[string]string{}
	alt = strings.TrimSpace(alt)
	if alt == "" {
		fields["alt"] = "Describe the poster for people who cannot see it"
	} else {
		var p Problems
		CheckText(&p, "alt", "The description", alt, MaxPosterAlt)
		for k, v := range ErrorFields(p.Err()) {
			fields[k] = v
		}
	}
	p, problem := cleanPosterImage(data)
	if problem != "" {
		fields["poster"] = problem
	}
	if len(fields) > 0 {
		return nil, posterInvalid(fields)
	}
	p.Alt = alt
	return p, nil
}

func cleanPosterImage(data []byte) (*Poster, string) {
	switch {
	case len(data) == 0:
		return nil, "Choose a PNG or JPEG image to upload"
	case len(data) > MaxPosterBytes:
		return nil, fmt.Sprintf("The poster must be %d MB or smaller", MaxPosterBytes>>20)
	}
	const notImage = "The poster must be a PNG or JPEG image"
	ctype := http.DetectContentType(data)
	if ctype != "image/png" && ctype != "image/jpeg" {
		return nil, notImage
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || "image/"+format != ctype {
		return nil, notImage
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxPosterSide || cfg.Height > MaxPosterSide {
		return nil, fmt.Sprintf("The poster must be at most %d by %d pixels", MaxPosterSide, MaxPosterSide)
	}
	var out bytes.Buffer
	switch format {
	case "png":
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, notImage
		}
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&out, img); err != nil {
			return nil, notImage
		}
	case "jpeg":
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, notImage
		}
		if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: 90}); err != nil {
			return nil, notImage
		}
	default:
		return nil, notImage
	}
	return &Poster{ID: NewPosterID(), ContentType: ctype, Width: cfg.Width, Height: cfg.Height,
		Data: out.Bytes(), Size: out.Len()}, ""
}

// CheckPosterCount refuses a poster beyond MaxCampaignPosters, when the campaign
// has n already.
func CheckPosterCount(n int) error {
	if n >= MaxCampaignPosters {
		return posterInvalid(map[string]string{"poster": fmt.Sprintf("A campaign can have %d posters at most: remove one first", MaxCampaignPosters)})
	}
	return nil
}

// PosterService keeps campaigns' posters. Adding and removing them is for whoever
// manages campaigns (CanManageCampaigns); reading them is for anyone.
type PosterService interface {
	// AddPoster checks the upload (PreparePoster) and keeps it for the campaign.
	AddPoster(ctx context.Context, actor Actor, slug string, data []byte, alt string) (*Poster, error)
	RemovePoster(ctx context.Context, actor Actor, slug, id string) error
	// FindPosters lists the campaign's posters, oldest first, without their bytes.
	FindPosters(ctx context.Context, slug string) ([]*Poster, error)
	// FindPoster reads one poster with its bytes.
	FindPoster(ctx context.Context, slug, id string) (*Poster, error)
}
