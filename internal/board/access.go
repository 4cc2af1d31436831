package board

import (
	"context"
	"database/sql"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/errs"
)

// Statuses of a post or comment.
const (
	Visible = "visible"
	Held    = "held"   // hidden automatically by reports, pending review
	Hidden  = "hidden" // hidden by a moderator
	Deleted = "deleted"
)

// EditWindow is how long authors may edit or delete what they wrote.
const EditWindow = 24 * time.Hour

// staffRoles moderate and write news; SysAdmin passes every check.
var staffRoles = []actor.Role{actor.CentreAdmin, actor.Operator}

func isStaff(a *actor.Actor) bool { return a.Is(staffRoles...) }

// viewerID is the user a page is drawn for (the citizen an operator acts
// for), 0 when nobody is signed in.
func viewerID(ctx context.Context) int64 {
	if a := actor.From(ctx); a != nil {
		return a.Subject().ID
	}
	return 0
}

// writer is the citizen who writes: signed in, and a citizen (directly,
// or through the operator or guide acting for them). Staff speak through
// the news.
func writer(ctx context.Context) (int64, error) {
	a := actor.From(ctx)
	if a == nil {
		return 0, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	if a.Subject().Role != actor.Citizen {
		return 0, errs.New(errs.Forbidden, "board.citizens_only")
	}
	return a.Subject().ID, nil
}

// mayChange checks that userID may still edit or delete an item it wrote
// at created.
func (s *Service) mayChange(userID, authorID int64, created time.Time) error {
	switch {
	case userID != authorID:
		return errs.New(errs.Forbidden, "board.not_yours")
	case s.Now().Sub(created) > EditWindow:
		return errs.New(errs.Conflict, "board.edit_window_over", int(EditWindow.Hours()))
	}
	return nil
}

// insertWritten adds a citizen's new item of kind (kindPost, kindComment)
// with insert (… RETURNING id) once the write guards allow body, and audits
// it when it was written for the citizen by someone acting for them; it
// returns the item's id.
func insertWritten(ctx context.Context, tx *sql.Tx, uid int64, kind, body string, at time.Time, insert string, args ...any) (int64, error) {
	if err := allowWrite(ctx, tx, uid, kind, digest(body), at); err != nil {
		return 0, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, insert, args...).Scan(&id); err != nil {
		return 0, err
	}
	return id, auditActing(ctx, tx, "board."+kind+".acting", "board_"+kind, id)
}

// editVisible runs update, which changes an item's text only while the item
// is visible (its WHERE says so), and refuses the edit when it changed
// nothing: an item under review stays as it was reported.
func editVisible(ctx context.Context, tx *sql.Tx, update string, args ...any) error {
	res, err := tx.ExecContext(ctx, update, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "board.not_editable")
	}
	return nil
}

// seen reports whether the viewer may see an item of status by authorID.
func seen(ctx context.Context, status string, authorID int64) bool {
	switch status {
	case Visible:
		return true
	case Held, Hidden:
		return viewerID(ctx) == authorID || isStaff(actor.From(ctx))
	}
	return false
}

// actingChannel is the channel of staff acting for the writer (the board
// labels what they wrote), "" when the citizen writes themselves.
func actingChannel(ctx context.Context) string {
	if a := actor.From(ctx); a != nil && a.ActingFor != nil {
		return a.Channel
	}
	return ""
}

// auditActing records, in tx, that staff acting for a citizen wrote item
// id: who on the staff, for whom, through which channel (audit.Record
// takes them from ctx). A citizen's own writing is not audited.
func auditActing(ctx context.Context, tx *sql.Tx, action, subjectType string, id int64) error {
	if actingChannel(ctx) == "" {
		return nil
	}
	return audit.Record(ctx, tx, audit.Entry{Action: action, SubjectType: subjectType, SubjectID: id})
}
