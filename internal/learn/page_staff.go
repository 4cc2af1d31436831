package learn

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

var staffRoles = []actor.Role{actor.Tutor, actor.CentreAdmin}

// ---- Sessions and roster ----

func (h *Handlers) staffSessions(w http.ResponseWriter, r *http.Request) error {
	a, err := auth.Require(r, staffRoles...)
	if err != nil {
		return err
	}
	list, err := h.svc.StaffSessions(r.Context())
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "staff_sessions", map[string]any{"Sessions": list, "Admin": a.Is(actor.CentreAdmin)})
}

type rosterPage struct {
	Session   Session
	Confirmed []RosterEntry
	Waiting   []RosterEntry
	Seats     int // confirmed seats
	Attended  int // checked-in seats
	Done      *RosterEntry
	Open      bool // taking check-ins now
	OpensAt   time.Time
	ClosesAt  time.Time
	Admin     bool
	Form      web.FormState
}

func (h *Handlers) staffRoster(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	done, _ := strconv.ParseInt(r.URL.Query().Get("done"), 10, 64)
	return h.renderRoster(w, r, id, http.StatusOK, web.FormState{}, done)
}

func (h *Handlers) renderRoster(w http.ResponseWriter, r *http.Request, id int64, status int, form web.FormState, done int64) error {
	a, err := auth.Require(r, staffRoles...)
	if err != nil {
		return err
	}
	sess, err := h.svc.StaffSession(r.Context(), id)
	if err != nil {
		return err
	}
	roster, err := h.svc.Roster(r.Context(), id)
	if err != nil {
		return err
	}
	now := h.svc.Now()
	p := rosterPage{Session: sess, Admin: a.Is(actor.CentreAdmin), Form: form}
	p.OpensAt, p.ClosesAt = CheckInWindow(sess)
	p.Open = sess.Status == "scheduled" && !now.Before(p.OpensAt) && now.Before(p.ClosesAt)
	for i, e := range roster {
		if e.Status == Confirmed {
			p.Confirmed = append(p.Confirmed, e)
			p.Seats += e.Seats
			if !e.AttendedAt.IsZero() {
				p.Attended += e.Seats
			}
		} else {
			p.Waiting = append(p.Waiting, e)
		}
		if e.ID == done && !e.AttendedAt.IsZero() {
			p.Done = &roster[i]
		}
	}
	return h.views.Render(w, r, status, "staff_session", p)
}

func (h *Handlers) staffCheckInRegistration(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.Require(r, staffRoles...); err != nil {
		return err
	}
	regID, perr := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("registration")), 10, 64)
	var res CheckInResult
	err = errs.New(errs.NotFound, "learn.registration_not_found")
	if perr == nil && regID > 0 {
		res, err = h.svc.CheckInRegistration(r.Context(), regID)
	}
	if err == nil && res.SessionID != id {
		// Checked in, but from another session's page: show where it belongs.
		id = res.SessionID
	}
	if err != nil {
		return web.Redraw(r, err, nil, func(status int, form web.FormState) error {
			return h.renderRoster(w, r, id, status, form, 0)
		})
	}
	return web.Redirect(w, r, "/staff/sessions/"+strconv.FormatInt(id, 10)+"?done="+strconv.FormatInt(res.ID, 10), "")
}

// ---- Check-in by ticket ----

type checkInPage struct {
	Form      web.FormState
	Done      *RosterEntry
	Completed bool
	Prefix    string
}

func (h *Handlers) checkInPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, staffRoles...); err != nil {
		return err
	}
	p := checkInPage{Prefix: TicketPrefix}
	if done, _ := strconv.ParseInt(r.URL.Query().Get("done"), 10, 64); done > 0 {
		e, err := h.svc.attendee(r.Context(), done)
		switch {
		case err == nil:
			p.Done = &e
			if p.Completed, err = h.svc.Completed(r.Context(), e.UserID, e.Session.CourseID); err != nil {
				return err
			}
			p.Completed = p.Completed && e.Seats == 1
		case errs.CodeOf(err) == errs.Internal:
			return err
		}
	}
	return h.views.Render(w, r, http.StatusOK, "staff_checkin", p)
}

func (h *Handlers) checkInTicket(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.Require(r, staffRoles...); err != nil {
		return err
	}
	ticket := r.PostFormValue("ticket")
	res, err := h.svc.CheckIn(r.Context(), ticket)
	if err != nil {
		return web.Redraw(r, err, map[string]string{"ticket": ticket}, func(status int, form web.FormState) error {
			form.Field = "ticket"
			return h.views.Render(w, r, status, "staff_checkin", checkInPage{Form: form, Prefix: TicketPrefix})
		})
	}
	return web.Redirect(w, r, "/staff/checkin?done="+strconv.FormatInt(res.ID, 10), "")
}

// ---- Check-in API ----

type rosterJSON struct {
	ID         int64      `json:"id"`
	SessionID  int64      `json:"session_id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Status     string     `json:"status"`
	Seats      int        `json:"seats"`
	GroupName  string     `json:"group_name,omitempty"`
	QueuePos   int        `json:"queue_position"`
	Channel    string     `json:"channel"`
	AttendedAt *time.Time `json:"attended_at,omitempty"`
}

func toRosterJSON(e RosterEntry) rosterJSON {
	j := rosterJSON{ID: e.ID, SessionID: e.SessionID, UserID: e.UserID, Name: e.Name, Status: e.Status, Seats: e.Seats,
		GroupName: e.GroupName, QueuePos: e.QueuePos, Channel: e.Channel}
	if !e.AttendedAt.IsZero() {
		t := e.AttendedAt
		j.AttendedAt = &t
	}
	return j
}

func (h *Handlers) apiCheckIn(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Ticket string `json:"ticket"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	res, err := h.svc.CheckIn(r.Context(), in.Ticket)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"checked_in": toRosterJSON(res.RosterEntry), "completed": res.Completed,
		"session": toSessionJSON(res.Session)})
}

func (h *Handlers) apiRoster(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.Require(r); err != nil {
		return err
	}
	roster, err := h.svc.Roster(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"session_id": id, "roster": web.JSONList(roster, toRosterJSON)})
}

// ---- Feedback ----

type feedbackPage struct {
	FeedbackState
	Form    web.FormState
	Ratings []int
}

func (h *Handlers) feedbackPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.renderFeedback(w, r, id, http.StatusOK, web.FormState{})
}

func (h *Handlers) renderFeedback(w http.ResponseWriter, r *http.Request, id int64, status int, form web.FormState) error {
	if _, err := auth.Require(r); err != nil {
		return err
	}
	st, err := h.svc.FeedbackFor(r.Context(), id)
	if err != nil {
		return err
	}
	return h.views.Render(w, r, status, "feedback", feedbackPage{FeedbackState: st, Form: form, Ratings: []int{5, 4, 3, 2, 1}})
}

func (h *Handlers) feedbackPost(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.Require(r); err != nil {
		return err
	}
	vals := map[string]string{"rating": r.PostFormValue("rating"), "comment": r.PostFormValue("comment")}
	in := FeedbackInput{Comment: vals["comment"]}
	if in.Rating, err = strconv.Atoi(strings.TrimSpace(vals["rating"])); err != nil {
		in.Rating = 0 // refused by the service as "choose a rating"
	}
	if _, err = h.svc.GiveFeedback(r.Context(), id, in); err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderFeedback(w, r, id, status, form)
		})
	}
	return web.Redirect(w, r, "/my/registrations/"+strconv.FormatInt(id, 10)+"/feedback", "feedback.flash_thanks")
}

func (h *Handlers) apiFeedback(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Rating  int    `json:"rating"`
		Comment string `json:"comment"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	f, err := h.svc.GiveFeedback(r.Context(), id, FeedbackInput{Rating: in.Rating, Comment: in.Comment})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, map[string]any{"feedback": map[string]any{"id": f.ID, "session_id": f.SessionID,
		"rating": f.Rating, "comment": f.Comment, "created_at": f.CreatedAt}})
}

func (h *Handlers) staffFeedback(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.Require(r, staffRoles...); err != nil {
		return err
	}
	fb, err := h.svc.SessionFeedback(r.Context(), id)
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "staff_feedback", fb)
}

type ratingsJSON struct {
	Count    int            `json:"count"`
	Average  float64        `json:"average"`
	ByRating map[string]int `json:"by_rating"`
	Sessions int            `json:"sessions_rated"`
}

func toRatingsJSON(r Ratings) ratingsJSON {
	j := ratingsJSON{Count: r.Count, Average: float64(int(r.Average()*100+0.5)) / 100, Sessions: r.Sessions, ByRating: map[string]int{}}
	for i, n := range r.ByRating {
		j.ByRating[strconv.Itoa(i+1)] = n
	}
	return j
}

func (h *Handlers) apiSessionFeedback(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	fb, err := h.svc.SessionFeedback(r.Context(), id)
	if err != nil {
		return err
	}
	type comment struct {
		Rating    int       `json:"rating"`
		Comment   string    `json:"comment"`
		CreatedAt time.Time `json:"created_at"`
	}
	cs := make([]comment, len(fb.Comments))
	for i, c := range fb.Comments {
		cs[i] = comment{Rating: c.Rating, Comment: c.Comment, CreatedAt: c.CreatedAt}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"session_id": id, "course_id": fb.Session.CourseID,
		"session": toRatingsJSON(fb.Ratings), "course": toRatingsJSON(fb.Course), "comments": cs})
}

// ---- Session admin ----

type adminSessionPage struct {
	Session   Session
	Now       time.Time
	Waiting   int
	TutorName string
	Tutors    []Tutor
	Form      web.FormState
	Which     string // the form that failed
	Values    map[string]string
	Editable  bool
}

func (h *Handlers) adminSession(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.renderAdminSession(w, r, id, http.StatusOK, "", web.FormState{})
}

func (h *Handlers) renderAdminSession(w http.ResponseWriter, r *http.Request, id int64, status int, which string, form web.FormState) error {
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	ctx := r.Context()
	sess, err := h.svc.Session(ctx, id)
	if err != nil {
		return err
	}
	p := adminSessionPage{Session: sess, Now: h.svc.Now(), Form: form, Which: which}
	p.Editable = sess.Status == "scheduled" && !sess.Past(p.Now)
	if p.Waiting, err = h.svc.QueueLength(ctx, id); err != nil {
		return err
	}
	if p.TutorName, err = h.svc.TutorName(ctx, sess.TutorID); err != nil {
		return err
	}
	if p.Tutors, err = h.svc.Tutors(ctx); err != nil {
		return err
	}
	p.Values = map[string]string{"capacity": strconv.Itoa(sess.Capacity), "tutor_id": strconv.FormatInt(sess.TutorID, 10), "allocation": sess.Allocation}
	if !sess.LotteryClosesAt.IsZero() {
		c := sess.LotteryClosesAt.In(i18n.Zone)
		p.Values["closes_date"], p.Values["closes_time"] = c.Format("2006-01-02"), c.Format("15:04")
	}
	for k, v := range form.Values {
		p.Values[k] = v
	}
	return h.views.Render(w, r, status, "staff_session_admin", p)
}

// adminAction runs one admin form: on success back to the page with a
// flash message, on failure the page again with the error at its form.
func (h *Handlers) adminAction(w http.ResponseWriter, r *http.Request, which, flash string, vals map[string]string, do func(id int64) error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	if err := do(id); err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderAdminSession(w, r, id, status, which, form)
		})
	}
	return web.Redirect(w, r, "/admin/sessions/"+strconv.FormatInt(id, 10), flash)
}

func formInt(vals map[string]string, key, msg string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(vals[key]), 10, 64)
	if err != nil {
		return 0, errs.Field(key, msg)
	}
	return n, nil
}

func (h *Handlers) adminCapacity(w http.ResponseWriter, r *http.Request) error {
	vals := map[string]string{"capacity": r.PostFormValue("capacity")}
	return h.adminAction(w, r, "capacity", "staff.flash_capacity_saved", vals, func(id int64) error {
		n, err := formInt(vals, "capacity", "learn.capacity_invalid")
		if err == nil {
			_, err = h.svc.SetCapacity(r.Context(), id, int(n))
		}
		return err
	})
}

func (h *Handlers) adminTutor(w http.ResponseWriter, r *http.Request) error {
	vals := map[string]string{"tutor_id": r.PostFormValue("tutor_id")}
	return h.adminAction(w, r, "tutor", "staff.flash_tutor_saved", vals, func(id int64) error {
		n, err := formInt(vals, "tutor_id", "staff.tutor_invalid")
		if err == nil {
			_, err = h.svc.SetTutor(r.Context(), id, n)
		}
		return err
	})
}

// parseCloses reads the lottery's closing time from a date and a time of
// day in city time; a time of day alone is not enough.
func parseCloses(date, clock string) (time.Time, error) {
	date, clock = strings.TrimSpace(date), strings.TrimSpace(clock)
	if date == "" && clock == "" {
		return time.Time{}, nil
	}
	// People type 18:00, 1800, 18.00 or just 18; phones without a colon key
	// make the short forms common.
	clock = strings.NewReplacer(".", ":", "시", ":", "분", "", " ", "").Replace(clock)
	clock = strings.TrimSuffix(clock, ":")
	switch {
	case clock == "":
		clock = "00:00"
	case !strings.Contains(clock, ":") && len(clock) <= 2:
		clock += ":00"
	case !strings.Contains(clock, ":") && (len(clock) == 3 || len(clock) == 4):
		clock = clock[:len(clock)-2] + ":" + clock[len(clock)-2:]
	}
	if len(clock) == 4 && clock[1] == ':' {
		clock = "0" + clock
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, i18n.Zone)
	if err != nil {
		return time.Time{}, errs.Field("lottery_closes_at", "staff.lottery_close_format")
	}
	return t, nil
}

func (h *Handlers) adminAllocation(w http.ResponseWriter, r *http.Request) error {
	vals := map[string]string{"allocation": r.PostFormValue("allocation"), "closes_date": r.PostFormValue("closes_date"), "closes_time": r.PostFormValue("closes_time")}
	return h.adminAction(w, r, "allocation", "staff.flash_allocation_saved", vals, func(id int64) error {
		closes, err := parseCloses(vals["closes_date"], vals["closes_time"])
		if err == nil {
			_, err = h.svc.SetAllocation(r.Context(), id, vals["allocation"], closes)
		}
		return err
	})
}

func (h *Handlers) adminCloseApplications(w http.ResponseWriter, r *http.Request) error {
	return h.adminAction(w, r, "lottery", "staff.flash_applications_closed", nil, func(id int64) error {
		_, err := h.svc.CloseApplications(r.Context(), id)
		return err
	})
}

func (h *Handlers) adminDraw(w http.ResponseWriter, r *http.Request) error {
	return h.adminAction(w, r, "lottery", "staff.flash_drawn", nil, func(id int64) error {
		_, _, err := h.svc.DrawNow(r.Context(), id)
		return err
	})
}

func (h *Handlers) adminCancel(w http.ResponseWriter, r *http.Request) error {
	vals := map[string]string{"confirm": r.PostFormValue("confirm")}
	return h.adminAction(w, r, "cancel", "staff.flash_session_cancelled", vals, func(id int64) error {
		if vals["confirm"] != "yes" {
			return errs.Field("confirm", "staff.cancel_confirm_required")
		}
		return h.svc.CancelSessionByAdmin(r.Context(), id)
	})
}

// apiAdmin decodes an admin API request's body (when it has fields), runs
// the change and answers with the session as it now is.
func (h *Handlers) apiAdmin(w http.ResponseWriter, r *http.Request, in any, do func(id int64) (map[string]any, error)) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := auth.Require(r, actor.CentreAdmin); err != nil {
		return err
	}
	if in != nil {
		err = web.DecodeJSON(w, r, in)
	} else {
		err = web.NoBody(w, r)
	}
	if err != nil {
		return err
	}
	out, err := do(id)
	if err != nil {
		return err
	}
	if out == nil {
		out = map[string]any{}
	}
	sess, err := h.svc.Session(r.Context(), id)
	if err != nil {
		return err
	}
	out["session"] = toSessionJSON(sess)
	return web.JSON(w, http.StatusOK, out)
}

func (h *Handlers) apiAdminCapacity(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Capacity int `json:"capacity"`
	}
	return h.apiAdmin(w, r, &in, func(id int64) (map[string]any, error) {
		_, err := h.svc.SetCapacity(r.Context(), id, in.Capacity)
		return nil, err
	})
}

func (h *Handlers) apiAdminTutor(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		TutorID int64 `json:"tutor_id"`
	}
	return h.apiAdmin(w, r, &in, func(id int64) (map[string]any, error) {
		_, err := h.svc.SetTutor(r.Context(), id, in.TutorID)
		return nil, err
	})
}

func (h *Handlers) apiAdminAllocation(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Allocation      string     `json:"allocation"`
		LotteryClosesAt *time.Time `json:"lottery_closes_at"`
	}
	return h.apiAdmin(w, r, &in, func(id int64) (map[string]any, error) {
		var closes time.Time
		if in.LotteryClosesAt != nil {
			closes = *in.LotteryClosesAt
		}
		_, err := h.svc.SetAllocation(r.Context(), id, in.Allocation, closes)
		return nil, err
	})
}

func (h *Handlers) apiAdminCloseApplications(w http.ResponseWriter, r *http.Request) error {
	return h.apiAdmin(w, r, nil, func(id int64) (map[string]any, error) {
		_, err := h.svc.CloseApplications(r.Context(), id)
		return nil, err
	})
}

func (h *Handlers) apiAdminDraw(w http.ResponseWriter, r *http.Request) error {
	return h.apiAdmin(w, r, nil, func(id int64) (map[string]any, error) {
		c, wl, err := h.svc.DrawNow(r.Context(), id)
		return map[string]any{"confirmed": c, "waitlisted": wl}, err
	})
}

func (h *Handlers) apiAdminCancel(w http.ResponseWriter, r *http.Request) error {
	return h.apiAdmin(w, r, nil, func(id int64) (map[string]any, error) {
		return nil, h.svc.CancelSessionByAdmin(r.Context(), id)
	})
}
