package web

import (
	"net/http"
	"net/url"
	"strconv"

	"tropic/internal/tropic"
)

// The user's notifications: newest first, a page at a time, unread marked, each
// linking to where the user acts; marking one or all read. Every staff page's header
// carries the unread count (one indexed count per page).

const notificationPageSize = 25

type notificationRow struct {
	ID   int64
	Text string
	Href string
	At   string
	Read bool
	Done bool // what it asked for is done: its text says how it stands
}

type notificationsPage struct {
	Layout
	Flash      string
	Rows       []notificationRow
	Total      int
	UnreadOnly bool
	Pagination *pagination
}

// unreadNotifications counts the signed-in user's unread notifications for the
// header; a failure is logged and shows no count, rather than failing the page.
func (s *Server) unreadNotifications(r *http.Request) int {
	u := userFrom(r.Context())
	if u == nil || s.deps.Notifications == nil {
		return 0
	}
	n, err := s.deps.Notifications.CountUnreadNotifications(r.Context(), tropic.ActorFor(u))
	if err != nil {
		s.log.Warn("count unread notifications", "error", err.Error(), "request_id", requestID(r.Context()))
		return 0
	}
	return n
}

// notices answers as a missing page when notifications are not wired.
func (s *Server) notices(h http.Handler) http.Handler {
	return s.browser(s.requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Notifications == nil {
			s.notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})))
}

// notificationHref is where a notification leads: a page of this service only.
func notificationHref(link string) string {
	if u, err := url.Parse(link); err != nil || u.IsAbs() || u.Host != "" || len(link) == 0 || link[0] != '/' || (len(link) > 1 && link[1] == '/') {
		return ""
	}
	return link
}

// notificationOpenHref is the list's link for n: through /notifications/{id}, which
// marks it read on the way, when it leads anywhere.
func notificationOpenHref(n *tropic.Notification) string {
	if notificationHref(n.Link) == "" {
		return ""
	}
	return "/notifications/" + strconv.FormatInt(n.ID, 10)
}

func (s *Server) handleNotifications() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		unreadOnly := r.URL.Query().Get("unread") == "1"
		list, total, err := s.deps.Notifications.FindNotifications(r.Context(), actorOf(r), unreadOnly, notificationPageSize, (page-1)*notificationPageSize)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &notificationsPage{Layout: s.newLayout(r, "Notifications"), Flash: s.sessions.PopString(r.Context(), sessAccountFlash),
			Total: total, UnreadOnly: unreadOnly}
		p.Nav = "notifications"
		for _, n := range list {
			p.Rows = append(p.Rows, notificationRow{ID: n.ID, Text: n.Text, Href: notificationOpenHref(n), At: displayDateTime(n.CreatedAt), Read: n.ReadAt != nil, Done: n.DoneAt != nil})
		}
		p.Pagination = newPagination(page, notificationPageSize, total, func(n int) string {
			q := url.Values{"page": {strconv.Itoa(n)}}
			if unreadOnly {
				q.Set("unread", "1")
			}
			return "/notifications?" + q.Encode()
		})
		if p.Pagination != nil {
			p.Pagination.Label = "Pages of notifications"
		}
		s.render(w, r, http.StatusOK, "notifications", p)
	})
}

// handleNotificationOpen follows a notification to its page, marking it read: the
// list links through here, so that what was opened stops counting as unread.
func (s *Server) handleNotificationOpen() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			s.notFound(w, r)
			return
		}
		link, err := s.deps.Notifications.OpenNotification(r.Context(), actorOf(r), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		href := notificationHref(link)
		if href == "" {
			href = "/notifications"
		}
		http.Redirect(w, r, href, http.StatusSeeOther)
	})
}

// handleNotificationsRead marks one notification read (the form's id), or all of them.
func (s *Server) handleNotificationsRead() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		var ids []int64
		msg := "All your notifications are marked as read."
		if v := r.PostFormValue("id"); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				s.notFound(w, r)
				return
			}
			ids, msg = []int64{id}, "The notification is marked as read."
		}
		if err := s.deps.Notifications.MarkNotificationsRead(r.Context(), actorOf(r), ids); err != nil {
			s.fail(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), sessAccountFlash, msg)
		http.Redirect(w, r, "/notifications", http.StatusSeeOther)
	})
}

type notificationSettingsPage struct {
	Layout
	Flash   string
	Choices []selectOption
}

var notificationEmailChoices = []struct {
	m     tropic.NotificationEmail
	label string
}{
	{tropic.NotificationEmailEach, "An e-mail for each notification, within a few minutes"},
	{tropic.NotificationEmailDigest, "One e-mail a day listing the notifications you have not read"},
	{tropic.NotificationEmailNone, "No e-mail: I will read them in Tropic"},
}

func (s *Server) renderNotificationSettings(w http.ResponseWriter, r *http.Request, status int, chosen string, errs []FieldError) {
	p := &notificationSettingsPage{Layout: s.newLayout(r, "How you hear of notifications"), Flash: s.sessions.PopString(r.Context(), sessAccountFlash)}
	p.Nav = "notifications"
	p.Errors = errs
	for _, c := range notificationEmailChoices {
		p.Choices = append(p.Choices, selectOption{Value: string(c.m), Label: c.label, Selected: chosen == string(c.m)})
	}
	p.Choices = radioOptions("notification_email", p.Choices)
	s.render(w, r, status, "notification_settings", p)
}

func (s *Server) handleNotificationSettings() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m, err := s.deps.Notifications.FindNotificationEmail(r.Context(), actorOf(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderNotificationSettings(w, r, http.StatusOK, string(m), nil)
	})
}

func (s *Server) handleNotificationSettingsSave() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		chosen := r.PostFormValue("notification_email")
		err := s.deps.Notifications.SetNotificationEmail(r.Context(), actorOf(r), tropic.NotificationEmail(chosen))
		switch tropic.ErrorCode(err) {
		case "":
			s.sessions.Put(r.Context(), sessAccountFlash, "Your choice is saved.")
			http.Redirect(w, r, "/account/notifications", http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderNotificationSettings(w, r, http.StatusUnprocessableEntity, chosen, fieldErrors(err, "", "notification_email"))
		default:
			s.fail(w, r, err)
		}
	})
}
