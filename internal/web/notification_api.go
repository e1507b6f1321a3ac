package web

import (
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// The notifications API: the token holder's own notifications, and marking them read.

type apiNotificationList struct {
	Notifications []*tropic.Notification `json:"notifications"`
	Total         int                    `json:"total"`
	Unread        int                    `json:"unread"`
	Limit         int                    `json:"limit"`
	Offset        int                    `json:"offset"`
}

type apiNotificationsReadInput struct {
	IDs []int64 `json:"ids"`
	All bool    `json:"all"`
}

func (s *Server) handleAPINotifications() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Notifications == nil {
			s.handleAPINotFound().ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		limit, offset := notificationPageSize, 0
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 100 {
				apiInvalid(w, "limit", "Give a limit from 1 to 100.")
				return
			}
			limit = n
		}
		if v := q.Get("offset"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				apiInvalid(w, "offset", "Give an offset of 0 or more.")
				return
			}
			offset = n
		}
		actor := apiActor(r)
		list, total, err := s.deps.Notifications.FindNotifications(r.Context(), actor, q.Get("unread") == "true", limit, offset)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		unread, err := s.deps.Notifications.CountUnreadNotifications(r.Context(), actor)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		if list == nil {
			list = []*tropic.Notification{}
		}
		writeJSON(w, http.StatusOK, apiNotificationList{Notifications: list, Total: total, Unread: unread, Limit: limit, Offset: offset})
	})
}

// handleAPINotificationsRead marks the ids given read, or all with {"all": true}.
func (s *Server) handleAPINotificationsRead() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Notifications == nil {
			s.handleAPINotFound().ServeHTTP(w, r)
			return
		}
		var in apiNotificationsReadInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		if len(in.IDs) == 0 && !in.All {
			apiInvalid(w, "ids", "Give the ids of the notifications to mark read, or \"all\": true.")
			return
		}
		if len(in.IDs) > 0 && in.All {
			apiInvalid(w, "ids", "Give either ids or \"all\": true, not both.")
			return
		}
		if err := s.deps.Notifications.MarkNotificationsRead(r.Context(), apiActor(r), in.IDs); err != nil {
			s.apiFail(w, r, err)
			return
		}
		unread, err := s.deps.Notifications.CountUnreadNotifications(r.Context(), apiActor(r))
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"unread": unread})
	})
}
