package app

import (
	"context"
	"database/sql"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/learn"
	"github.com/maeul/maeul/internal/practice"
)

// practiceLearning is the learning centre as the practice part sees it:
// courses that practice sets count toward, and tutors' classes.
type practiceLearning struct{ learn *learn.Service }

func (p practiceLearning) CreditTx(ctx context.Context, tx *sql.Tx, userID int64, courseCode, source string) (bool, bool, error) {
	return p.learn.CreditTx(ctx, tx, userID, courseCode, source)
}

func (p practiceLearning) CourseTitle(ctx context.Context, code string) (practice.Text, bool, error) {
	c, err := p.learn.CourseByCode(ctx, code)
	if errs.CodeOf(err) == errs.NotFound {
		return practice.Text{}, false, nil
	}
	return practice.Text{Ko: c.TitleKo, En: c.TitleEn}, err == nil, err
}

func class(s learn.Session) practice.Class {
	return practice.Class{ID: s.ID, Title: practice.Text{Ko: s.Course.TitleKo, En: s.Course.TitleEn}, Starts: s.StartsAt,
		Venue: practice.Text{Ko: s.Venue.NameKo, En: s.Venue.NameEn}}
}

func (p practiceLearning) Classes(ctx context.Context) ([]practice.Class, error) {
	list, err := p.learn.StaffSessions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]practice.Class, len(list))
	for i, s := range list {
		out[i] = class(s.Session)
	}
	return out, nil
}

func (p practiceLearning) Learners(ctx context.Context, classID int64) (practice.Class, []practice.Learner, error) {
	s, err := p.learn.StaffSession(ctx, classID)
	if err != nil {
		return practice.Class{}, nil, err
	}
	roster, err := p.learn.Roster(ctx, classID)
	if err != nil {
		return practice.Class{}, nil, err
	}
	var out []practice.Learner
	for _, r := range roster {
		if r.Seats == 1 { // a group booking is nobody's own practice
			out = append(out, practice.Learner{UserID: r.UserID, Name: r.Name})
		}
	}
	return class(s), out, nil
}
