package auth

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/notify"
)

// User is an account. Citizens have a phone; staff have a username.
type User struct {
	ID         int64
	Role       actor.Role
	Name       string
	Phone      string
	Email      string
	Username   string
	BirthYear  int
	District   string
	Disability bool
	Lang       string
	TOTP       bool
	Demo       bool
	Disabled   bool // may not sign in (Service.SetDisabled)
	CreatedAt  time.Time
}

// NewUser is the input to create an account.
type NewUser struct {
	Role       actor.Role
	Name       string
	Phone      string
	Email      string
	Username   string
	Password   string
	BirthYear  int
	District   string
	Disability bool
	Lang       string
	Demo       bool
}

// Users is the account store.
type Users struct {
	db  *db.DB
	Now func() time.Time
}

// NewUsers returns the account store of d.
func NewUsers(d *db.DB) *Users { return &Users{db: d, Now: time.Now} }

const userCols = `id, role, name, COALESCE(phone, ''), COALESCE(email, ''), COALESCE(username, ''),
	COALESCE(birth_year, 0), COALESCE(district, ''), disability, lang, totp_secret IS NOT NULL, demo, disabled, created_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Role, &u.Name, &u.Phone, &u.Email, &u.Username, &u.BirthYear, &u.District,
		&u.Disability, &u.Lang, &u.TOTP, &u.Demo, &u.Disabled, &u.CreatedAt)
	return u, db.NotFound(err, "auth.user_not_found")
}

func (n *NewUser) validate(now time.Time) error {
	n.Name = strings.TrimSpace(n.Name)
	n.Email = strings.TrimSpace(n.Email)
	if !n.Role.Valid() {
		return errs.Field("role", "auth.role_invalid")
	}
	if err := checkName(n.Name, n.Role.Staff()); err != nil {
		return err
	}
	if n.Phone != "" {
		p, err := NormalizePhone(n.Phone)
		if err != nil {
			return err
		}
		n.Phone = p
	}
	if n.Role == actor.Citizen && n.Phone == "" {
		return errs.Field("phone", "auth.phone_required")
	}
	if n.Role.Staff() {
		if len(n.Username) < 3 || len(n.Username) > 40 || strings.ContainsAny(n.Username, " \t\n") {
			return errs.Field("username", "auth.username_invalid")
		}
		if len(n.Password) < 10 {
			return errs.Field("password", "auth.password_short")
		}
	}
	if err := checkEmail(n.Email); err != nil {
		return err
	}
	if err := checkBirthYear(n.BirthYear, now); err != nil {
		return err
	}
	n.Lang = checkLang(n.Lang)
	return nil
}

func checkName(name string, required bool) error {
	if utf8.RuneCountInString(name) > 60 || (name == "" && required) {
		return errs.Field("name", "auth.name_invalid")
	}
	return nil
}

func checkEmail(email string) error {
	if email != "" && (!strings.Contains(email, "@") || len(email) > 200) {
		return errs.Field("email", "auth.email_invalid")
	}
	return nil
}

func checkBirthYear(year int, now time.Time) error {
	if year != 0 && (year < 1900 || year > now.Year()) {
		return errs.Field("birth_year", "auth.birth_year_invalid")
	}
	return nil
}

// checkLang falls back to Korean for anything but English.
func checkLang(lang string) string {
	if lang != "en" {
		return "ko"
	}
	return lang
}

// Create adds an account in its own transaction.
func (s *Users) Create(ctx context.Context, n NewUser) (User, error) {
	return db.TxValue(ctx, s.db, func(tx *sql.Tx) (User, error) { return s.CreateTx(ctx, tx, n) })
}

// CreateTx adds an account inside the caller's transaction.
func (s *Users) CreateTx(ctx context.Context, q db.Querier, n NewUser) (User, error) {
	if err := n.validate(s.Now()); err != nil {
		return User{}, err
	}
	var hash sql.NullString
	if n.Password != "" {
		hash = sql.NullString{String: HashPassword(n.Password), Valid: true}
	}
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO users (role, name, phone, email, username, password_hash, birth_year, district, disability, lang, demo, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		n.Role, n.Name, nullStr(n.Phone), nullStr(n.Email), nullStr(n.Username), hash, nullInt(n.BirthYear),
		nullStr(n.District), n.Disability, n.Lang, n.Demo, db.Time(s.Now())).Scan(&id)
	if db.IsUniqueViolation(err) {
		if n.Username != "" && strings.Contains(err.Error(), "username") {
			return User{}, errs.Field("username", "auth.username_taken")
		}
		return User{}, errs.Field("phone", "auth.phone_taken")
	}
	if err != nil {
		return User{}, err
	}
	if err := audit.Record(ctx, q, audit.Entry{Action: "user.create", SubjectType: "user", SubjectID: id, Detail: string(n.Role)}); err != nil {
		return User{}, err
	}
	return scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
}

// Get returns the account with id.
func (s *Users) Get(ctx context.Context, id int64) (User, error) {
	return scanUser(s.db.Read().QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
}

// ByPhone returns the account with a phone number (any format).
func (s *Users) ByPhone(ctx context.Context, phone string) (User, error) {
	p, err := NormalizePhone(phone)
	if err != nil {
		return User{}, err
	}
	return scanUser(s.db.Read().QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE phone = $1`, p))
}

// Contact implements notify.ContactBook.
func (s *Users) Contact(ctx context.Context, q db.Querier, id int64) (notify.Contact, error) {
	var c notify.Contact
	err := q.QueryRowContext(ctx, `SELECT COALESCE(phone, ''), COALESCE(email, ''), lang FROM users WHERE id = $1`, id).Scan(&c.Phone, &c.Email, &c.Lang)
	return c, db.NotFound(err, "auth.user_not_found")
}

// Profile is what a citizen may change about themselves.
type Profile struct {
	Name       string
	Email      string
	BirthYear  int
	District   string
	Disability bool
	Lang       string
}

// UpdateProfile changes a user's own details.
func (s *Users) UpdateProfile(ctx context.Context, id int64, p Profile) error {
	p.Name, p.Email = strings.TrimSpace(p.Name), strings.TrimSpace(p.Email)
	for _, err := range []error{checkName(p.Name, true), checkEmail(p.Email), checkBirthYear(p.BirthYear, s.Now())} {
		if err != nil {
			return err
		}
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, email = $2, birth_year = $3, district = $4, disability = $5, lang = $6 WHERE id = $7`,
			p.Name, nullStr(p.Email), nullInt(p.BirthYear), nullStr(p.District), p.Disability, checkLang(p.Lang), id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "user.update", SubjectType: "user", SubjectID: id})
	})
}

// ListFilter narrows List.
type ListFilter struct {
	Role  actor.Role
	Limit int
}

// List returns accounts, newest first.
func (s *Users) List(ctx context.Context, f ListFilter) ([]User, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE ($1 = '' OR role = $1) ORDER BY id DESC LIMIT $2`, string(f.Role), f.Limit)
	return db.Collect(rows, err, scanUser)
}

func nullStr(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
func nullInt(n int) sql.NullInt64     { return sql.NullInt64{Int64: int64(n), Valid: n != 0} }

// Names returns the names of the accounts with ids, for rosters.
func (s *Users) Names(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	// Chunks keep the statement within both drivers' parameter limits.
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		ph := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			ph[i] = "$" + strconv.Itoa(i+1)
			args[i] = id
		}
		rows, err := s.db.Read().QueryContext(ctx, `SELECT id, name FROM users WHERE id IN (`+strings.Join(ph, ",")+`)`, args...)
		if _, err := db.CollectMap(rows, err, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ByUsername returns the staff account with username.
func (s *Users) ByUsername(ctx context.Context, username string) (User, error) {
	return scanUser(s.db.Read().QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE username = $1`, strings.TrimSpace(username)))
}

// CreateCitizensTx adds many citizen accounts at once (the demo city, a
// migration) inside the caller's transaction, and returns their ids keyed
// by normalised phone number.
func (s *Users) CreateCitizensTx(ctx context.Context, q db.Querier, ns []NewUser) (map[string]int64, error) {
	const cols = 9
	ids := make(map[string]int64, len(ns))
	now := db.Time(s.Now())
	for start := 0; start < len(ns); start += 200 {
		chunk := ns[start:min(start+200, len(ns))]
		rows := make([]string, len(chunk))
		args := make([]any, 0, len(chunk)*cols)
		for i := range chunk {
			n := chunk[i]
			n.Role = actor.Citizen
			if err := n.validate(s.Now()); err != nil {
				return nil, fmt.Errorf("citizen %d: %w", start+i+1, err)
			}
			ph := make([]string, cols)
			for j := range ph {
				ph[j] = "$" + strconv.Itoa(len(args)+j+1)
			}
			rows[i] = "(" + strings.Join(ph, ",") + ")"
			args = append(args, n.Role, n.Name, n.Phone, nullInt(n.BirthYear), nullStr(n.District), n.Disability, n.Lang, n.Demo, now)
		}
		r, err := q.QueryContext(ctx, `INSERT INTO users (role, name, phone, birth_year, district, disability, lang, demo, created_at) VALUES `+
			strings.Join(rows, ",")+` RETURNING phone, id`, args...)
		if _, err := db.CollectMap(r, err, ids); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// CountDemo returns the number of demo accounts.
func (s *Users) CountDemo(ctx context.Context) (int, error) {
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE demo = TRUE`).Scan(&n)
	return n, err
}
