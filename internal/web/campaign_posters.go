package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"tropic/internal/tropic"
)

// Campaigns' posters: uploaded on the staff edit page, served from Tropic itself at
// /campaigns/{slug}/posters/{id}, shown on the public page with their alternative text.

// maxPosterRequest bounds a whole upload: the file may run past the poster limit (it
// is read to the limit and the rest thrown away, so the page can say it is too big
// and keep the description typed), but not without end.
const maxPosterRequest = 2*tropic.MaxPosterBytes + 64<<10

// maxPosterAltBytes bounds the description read from the form: four bytes for each
// allowed character, and one more so that tropic sees that it is too long.
const maxPosterAltBytes = 4*tropic.MaxPosterAlt + 1

var errPosterForm = errors.New("not a poster upload form")

// readPosterParts reads the upload form: the description ("alt", sent first by the
// page) and the image ("poster"). An image over the limit is kept to its first
// MaxPosterBytes+1 bytes, for tropic.PreparePoster to refuse by its size; other
// parts are skipped. An error means the form could not be read.
func readPosterParts(mr *multipart.Reader) (alt string, data []byte, err error) {
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return alt, data, nil
		}
		if err != nil {
			if len(data) > tropic.MaxPosterBytes {
				return alt, data, nil // the file was too big to read to its end
			}
			return "", nil, errPosterForm
		}
		switch part.FormName() {
		case "alt":
			b, err := io.ReadAll(io.LimitReader(part, maxPosterAltBytes))
			if err != nil {
				return "", nil, errPosterForm
			}
			alt = string(b)
		case "poster":
			data, err = io.ReadAll(io.LimitReader(part, tropic.MaxPosterBytes+1))
			if err != nil {
				return "", nil, errPosterForm
			}
		}
		if _, err := io.Copy(io.Discard, part); err != nil {
			if len(data) > tropic.MaxPosterBytes {
				return alt, data, nil
			}
			return "", nil, errPosterForm
		}
		part.Close()
	}
}

// posterFieldOrder is the order of the upload form's fields, for the error summary.
var posterFieldOrder = []string{"alt", "poster"}

// handlePosterUpload adds a poster to the campaign.
func (s *Server) handlePosterUpload() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Posters == nil {
			s.notFound(w, r)
			return
		}
		c, err := s.deps.Campaigns.FindCampaign(r.Context(), r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		var alt string
		var data []byte
		if mt == "multipart/form-data" {
			r.Body = http.MaxBytesReader(w, r.Body, maxPosterRequest)
			var mr *multipart.Reader
			if mr, err = r.MultipartReader(); err == nil {
				alt, data, err = readPosterParts(mr)
			}
		} else {
			err = errPosterForm
		}
		if err != nil {
			s.renderError(w, r, http.StatusBadRequest, "The form could not be read",
				"Your browser sent a form this service could not read. Go back, reload the page and try again.")
			return
		}
		_, err = s.deps.Posters.AddPoster(r.Context(), actorOf(r), c.Slug, data, alt)
		if tropic.ErrorCode(err) == tropic.EINVALID {
			p, perr := s.campaignForm(r, c, strings.Join(c.Hashtags, " "), true)
			if perr != nil {
				s.serverError(w, r, perr)
				return
			}
			p.PosterAlt = alt
			fields := tropic.ErrorFields(err)
			for _, k := range posterFieldOrder {
				if m := fields[k]; m != "" {
					p.Errors = append(p.Errors, FieldError{Field: k, Message: m})
				}
			}
			s.render(w, r, http.StatusUnprocessableEntity, "campaign_form", p)
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), "campaign_flash", "Poster added")
		http.Redirect(w, r, "/staff/campaigns/"+url.PathEscape(c.Slug)+"/edit#posters", http.StatusSeeOther)
	})
}

// handlePosterRemove removes a poster from the campaign.
func (s *Server) handlePosterRemove() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Posters == nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		slug := r.PathValue("slug")
		if err := s.deps.Posters.RemovePoster(r.Context(), actorOf(r), slug, r.PathValue("id")); err != nil {
			s.fail(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), "campaign_flash", "Poster removed")
		http.Redirect(w, r, "/staff/campaigns/"+url.PathEscape(slug)+"/edit#posters", http.StatusSeeOther)
	})
}

// handlePoster serves a poster's image: the bytes Tropic re-encoded, with the type it
// found in them, never sniffed by the browser. The id is random and a poster never
// changes, so it may be cached for a day (a removed poster may linger that long in
// a cache).
func (s *Server) handlePoster() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Posters == nil {
			http.NotFound(w, r)
			return
		}
		p, err := s.deps.Posters.FindPoster(r.Context(), r.PathValue("slug"), r.PathValue("id"))
		if tropic.ErrorCode(err) == tropic.ENOTFOUND {
			http.NotFound(w, r)
			return
		} else if err != nil {
			s.log.Error("find poster", "err", err)
			http.Error(w, "The poster could not be read.", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", p.ContentType)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "public, max-age=86400")
		h.Set("ETag", `"`+p.ID+`"`)
		http.ServeContent(w, r, "", p.CreatedAt, bytes.NewReader(p.Data))
	})
}
