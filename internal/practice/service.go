package practice

import (
	"context"
	"crypto/rand"
	"database/sql"
	"time"

	"github.com/maeul/maeul/internal/db"
)

// Learning is what practice needs of the learning centre. The app passes
// it in, so that the two parts meet only through exported APIs.
type Learning interface {
	// CreditTx counts a finished set toward the course of the code, in the
	// transaction that recorded the set.
	CreditTx(ctx context.Context, tx *sql.Tx, userID int64, courseCode, source string) (credited, completed bool, err error)
	// CourseTitle names the course of a code; false when there is none.
	CourseTitle(ctx context.Context, code string) (Text, bool, error)
	// Classes are the sessions the actor teaches (a tutor) or runs today
	// (a centre admin).
	Classes(ctx context.Context) ([]Class, error)
	// Learners are the people in a class, with their names; reading them
	// is audited by the learning centre.
	Learners(ctx context.Context, classID int64) (Class, []Learner, error)
}

// Class is a learning-centre session whose learners a tutor follows.
type Class struct {
	ID     int64
	Title  Text
	Starts time.Time
	Venue  Text
}

// Learner is a person in a class.
type Learner struct {
	UserID int64
	Name   string
}

// Service keeps learners' progress and the key that signs practice state.
type Service struct {
	db        *db.DB
	scenarios []*Scenario
	sets      []Set
	learning  Learning
	secret    []byte
	Now       func() time.Time
}

// Open returns the service, creating the signing key on first use of the
// database; every instance on it then signs alike.
func Open(ctx context.Context, d *db.DB, scenarios []*Scenario, sets []Set, learning Learning) (*Service, error) {
	s := &Service{db: d, scenarios: scenarios, sets: sets, learning: learning, Now: time.Now}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := d.Exec(ctx, `INSERT INTO practice_keys (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, fresh); err != nil {
		return nil, err
	}
	if err := d.QueryRow(ctx, `SELECT secret FROM practice_keys WHERE id = 1`).Scan(&s.secret); err != nil {
		return nil, err
	}
	return s, nil
}

// Scenarios are the emulators, in the order pages list them.
func (s *Service) Scenarios() []*Scenario { return s.scenarios }

// Sets are the challenge sets.
func (s *Service) Sets() []Set { return s.sets }

// Scenario returns the emulator of an id.
func (s *Service) Scenario(id string) (*Scenario, bool) {
	for _, sc := range s.scenarios {
		if sc.ID == id {
			return sc, true
		}
	}
	return nil, false
}

// courseTitle names the learning-centre course of a code.
func (s *Service) courseTitle(ctx context.Context, code string) (Text, bool, error) {
	if s.learning == nil {
		return Text{}, false, nil
	}
	return s.learning.CourseTitle(ctx, code)
}
