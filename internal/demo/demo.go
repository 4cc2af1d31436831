package demo

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/learn"
	"github.com/maeul/maeul/internal/progress"
)

// Options tune generation; zero values give the standard demo city.
type Options struct {
	Progress io.Writer // where progress is shown; nil for none
	Now      time.Time
	Seed     int64
	Citizens int
}

// Account is a demo staff account and its generated password.
type Account struct {
	Role     actor.Role
	Username string
	Password string
}

// Result says what Generate did.
type Result struct {
	Created bool
	// Completed: the database held a half-built demo city (people and
	// courses, no places), to which the rest was added (cmd/maeul's
	// buildDemo sets it).
	Completed bool
	Accounts  []Account
	Citizens  int
	Sessions  int
	Took      time.Duration
	// SamplePhone is a demo citizen's number to sign in with.
	SamplePhone string
}

func (o Options) withDefaults() Options {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Seed == 0 {
		o.Seed = 20250501
	}
	if o.Citizens == 0 {
		o.Citizens = 5000
	}
	return o
}

// Present reports whether the database holds demo data.
func Present(ctx context.Context, d *db.DB) (bool, error) {
	n, err := auth.NewUsers(d).CountDemo(ctx)
	return n > 0, err
}

// Generate creates the demo city unless the database already has one.
func Generate(ctx context.Context, d *db.DB, opt Options) (Result, error) {
	start := time.Now()
	opt = opt.withDefaults()
	if ok, err := Present(ctx, d); err != nil || ok {
		return Result{}, err
	}
	out := io.Discard
	if opt.Progress != nil {
		out = opt.Progress
	}
	bar := progress.New(out, "demo city", 4)
	defer bar.Done()

	users := auth.NewUsers(d)
	svc := learn.New(d, nil, nil)
	rng := rand.New(rand.NewPCG(uint64(opt.Seed), 7))
	res := Result{Created: true}
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		tutors, accounts, err := createStaff(ctx, tx, users, identity.NewParties(d))
		if err != nil {
			return err
		}
		res.Accounts = accounts
		bar.Add(1)

		people := People(opt.Seed, opt.Citizens, opt.Now)
		ns := make([]auth.NewUser, len(people))
		for i, p := range people {
			ns[i] = auth.NewUser{Name: p.Name, Phone: p.Phone, BirthYear: p.BirthDate.Year(), District: p.District, Disability: p.Disability, Demo: true}
		}
		ids, err := users.CreateCitizensTx(ctx, tx, ns)
		if err != nil {
			return err
		}
		res.Citizens = len(ids)
		if len(people) > 0 {
			res.SamplePhone = auth.FormatPhone(people[0].Phone)
		}
		bar.Add(1)

		if err := identity.NewRegistry(d).SaveTx(ctx, tx, residents(rng, people, opt.Now)); err != nil {
			return err
		}

		data := learn.SeedData{Venues: venues(), Courses: courses()}
		data.Sessions = sessions(rng, opt.Now, data.Venues, data.Courses, tutors)
		data.Registrations = registrations(rng, opt.Now, data.Sessions, people, ids)
		res.Sessions = len(data.Sessions)
		bar.Add(1)
		if err := svc.Seed(ctx, tx, data); err != nil {
			return err
		}
		bar.Add(1)
		return nil
	})
	res.Took = time.Since(start)
	return res, err
}

func createStaff(ctx context.Context, tx *sql.Tx, users *auth.Users, parties *identity.Parties) ([]int64, []Account, error) {
	type spec struct {
		role           actor.Role
		username, name string
	}
	specs := []spec{
		{actor.SysAdmin, "admin", "시스템 관리자 (시연)"},
		{actor.CentreAdmin, "centre", "배움터 관리자 (시연)"},
		{actor.Operator, "operator", "콜센터 상담원 (시연)"},
		{actor.Guide, "guide", "디지털 안내사 (시연)"},
		{actor.FundsAdmin, "funds", "정책자금 담당자 (시연)"},
		{actor.Verifier, "hospital", "시민병원 접수 직원 (시연)"},
	}
	tutorNames := []string{"김민정", "이성호", "박지영", "최동훈", "정수진", "강현우", "윤미경", "장태식"}
	for i, n := range tutorNames {
		specs = append(specs, spec{actor.Tutor, fmt.Sprintf("tutor%d", i+1), n + " 강사 (시연)"})
	}
	var tutors []int64
	var accounts []Account
	for _, s := range specs {
		pw := auth.RandomPassword()
		u, err := users.CreateTx(ctx, tx, auth.NewUser{Role: s.role, Username: s.username, Name: s.name, Password: pw, Demo: true})
		if err != nil {
			return nil, nil, err
		}
		if s.role == actor.Tutor {
			tutors = append(tutors, u.ID)
		}
		if s.role == actor.Verifier {
			if err := demoHospital(ctx, tx, parties, u.ID); err != nil {
				return nil, nil, err
			}
		}
		accounts = append(accounts, Account{Role: s.role, Username: s.username, Password: pw})
	}
	return tutors, accounts, nil
}

// PrintAccounts shows the demo staff accounts once, at generation.
func PrintAccounts(w io.Writer, r Result) {
	fmt.Fprintf(w, "\nDemo city generated in %s: %d citizens, %d sessions.\n", r.Took.Round(time.Millisecond), r.Citizens, r.Sessions)
	fmt.Fprintln(w, "Demo staff accounts (sign in at /login/staff; passwords are shown only now):")
	for _, a := range r.Accounts {
		fmt.Fprintf(w, "  %-13s %-9s %s\n", a.Role, a.Username, a.Password)
	}
	fmt.Fprintf(w, "Citizens sign in with a demo phone number such as %s; demo messages are not sent: the one-time code\nis written to the messages file whose path `maeul serve` prints when it starts (the outbox hides codes).\n", r.SamplePhone)
}

// day returns midnight, city time, of the day d days after now.
func day(now time.Time, d int) time.Time {
	n := now.In(i18n.Zone)
	return time.Date(n.Year(), n.Month(), n.Day()+d, 0, 0, 0, 0, i18n.Zone)
}

// demoHospital registers the demo hospital as a relying party, with its
// reception account as the staff who check citizen cards.
func demoHospital(ctx context.Context, tx *sql.Tx, parties *identity.Parties, staffID int64) error {
	p, err := parties.SaveTx(ctx, tx, identity.DemoHospital)
	if err != nil {
		return err
	}
	return parties.AssignStaffTx(ctx, tx, staffID, p.ID)
}
