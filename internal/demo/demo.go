// Package demo seeds a synthetic partnership for `tropic demo`: its agencies, one
// user per role in several of them, and (as later capabilities land) reports, cases
// and referrals across several years. Everything is made up and deterministic: the
// same seed gives the same data, so that demos and tests can rely on it.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"strings"

	"tropic/internal/tropic"
)

// Services are what the seeder writes through: the domain services, so that demo
// data obeys the same rules as real data.
type Services struct {
	Agencies tropic.AgencyService
	Users    tropic.UserService
}

// Options configure Seed.
type Options struct {
	Seed         uint64 // the generator's seed; 1 if zero
	PasswordHash string // the one hash every demo account shares
}

// Account is a demo sign-in to print.
type Account struct {
	Email  string
	Agency string
	Roles  []tropic.Role
}

// Generator is the deterministic source of demo data. Later seeders take one so
// that all demo data comes from one sequence.
type Generator struct {
	rnd *rand.Rand
}

// NewGenerator returns a generator for seed.
func NewGenerator(seed uint64) *Generator {
	if seed == 0 {
		seed = 1
	}
	return &Generator{rnd: rand.New(rand.NewPCG(seed, seed^0x7e0b1c))}
}

// Pick returns one of items.
func Pick[T any](g *Generator, items []T) T { return items[g.rnd.IntN(len(items))] }

// IntN returns a number in [0, n).
func (g *Generator) IntN(n int) int { return g.rnd.IntN(n) }

// Name returns a made-up full name.
func (g *Generator) Name() string {
	return Pick(g, givenNames) + " " + Pick(g, familyNames)
}

var givenNames = []string{"Alex", "Sam", "Jordan", "Priya", "Tomasz", "Amara", "Chen", "Fatima", "Owen", "Ruth",
	"Kwame", "Elena", "Imran", "Niamh", "Dev", "Grace", "Marek", "Leah", "Yusuf", "Holly"}

var familyNames = []string{"Archer", "Bello", "Carver", "Dunmore", "Ellery", "Fenwick", "Garside", "Hollins",
	"Ibbotson", "Jarrow", "Kettering", "Lindqvist", "Marlow", "Northcott", "Okafor", "Pennant", "Quarrie", "Rudd"}

// agencySpec is one agency of the demo partnership.
type agencySpec struct {
	Name           string
	Kind           tropic.AgencyKind
	FirstResponder bool
	Slug           string // for demo e-mail addresses; empty for agencies without demo users
}

// The demo partnership follows DOMAIN.md's example county; the charity is made up.
var partnership = []agencySpec{
	{"Hertfordshire Constabulary Modern Slavery Unit", tropic.AgencyPolice, true, "police"},
	{"Hertfordshire County Council", tropic.AgencyCountyCouncil, true, "county"},
	{"Office of the Police and Crime Commissioner for Hertfordshire", tropic.AgencyPCC, false, ""},
	{"Broxbourne Borough Council", tropic.AgencyDistrictCouncil, true, ""},
	{"Dacorum Borough Council", tropic.AgencyDistrictCouncil, true, ""},
	{"East Hertfordshire District Council", tropic.AgencyDistrictCouncil, true, ""},
	{"Hertsmere Borough Council", tropic.AgencyDistrictCouncil, true, ""},
	{"North Hertfordshire District Council", tropic.AgencyDistrictCouncil, true, ""},
	{"St Albans City and District Council", tropic.AgencyDistrictCouncil, true, "stalbans"},
	{"Stevenage Borough Council", tropic.AgencyDistrictCouncil, true, ""},
	{"Three Rivers District Council", tropic.AgencyDistrictCouncil, true, ""},
	{"Watford Borough Council", tropic.AgencyDistrictCouncil, true, "watford"},
	{"Welwyn Hatfield Borough Council", tropic.AgencyDistrictCouncil, true, ""},
	{"Hertfordshire Community NHS Trust", tropic.AgencyHealth, false, ""},
	{"Safe Harbour Herts (charity)", tropic.AgencyCharity, false, "charity"},
}

// publicNotice is the demo partnership's privacy and accessibility statements, made
// up; it is also the example a deployment copies (README).
//
//go:embed public_notice.json
var publicNotice []byte

// PublicNotice is what the demo partnership states on its privacy notice and
// accessibility statement.
func PublicNotice() *tropic.PublicNotice {
	n, err := tropic.ParsePublicNotice(publicNotice)
	if err != nil {
		panic("demo public notice: " + err.Error()) // a test holds it valid
	}
	return n
}

// PartnershipName is the demo partnership's name.
const PartnershipName = "Hertfordshire Anti-Slavery Partnership (demo)"

// EmailDomain is the domain of every demo e-mail address; .example is reserved, so
// no mail can reach a real person.
const EmailDomain = "demo.tropic.example"

// Seed writes the demo partnership through the services and returns its accounts.
func Seed(ctx context.Context, s Services, opts Options) ([]Account, error) {
	g := NewGenerator(opts.Seed)
	actor := tropic.SystemActor("tropic demo")
	var accounts []Account
	for _, spec := range partnership {
		a := &tropic.Agency{Name: spec.Name, Kind: spec.Kind, FirstResponder: spec.FirstResponder, DutyToNotify: spec.Kind.DutyToNotifyDefault(),
			TriageHub: demoTriageHub(spec.Slug), InboxEmail: demoInboxEmail(spec.Slug)}
		if err := s.Agencies.CreateAgency(ctx, actor, a); err != nil {
			return nil, fmt.Errorf("demo agency %s: %w", spec.Name, err)
		}
		if spec.Slug == "" {
			continue
		}
		for _, role := range tropic.Roles {
			if role == tropic.RolePartnershipAdmin {
				continue // one for the partnership, not one an agency (admin.go)
			}
			u := &tropic.User{
				Email:    fmt.Sprintf("%s.%s@%s", role, spec.Slug, EmailDomain),
				Name:     g.Name(),
				AgencyID: a.ID,
				Roles:    []tropic.Role{role},
			}
			if err := s.Users.CreateUser(ctx, actor, u, opts.PasswordHash); err != nil {
				return nil, fmt.Errorf("demo user %s: %w", u.Email, err)
			}
			accounts = append(accounts, Account{Email: u.Email, Agency: a.Name, Roles: u.Roles})
		}
	}
	return accounts, nil
}

// FormatAccounts lists accounts for the terminal, one per line.
func FormatAccounts(accounts []Account) string {
	var b strings.Builder
	for _, a := range accounts {
		roles := make([]string, len(a.Roles))
		for i, r := range a.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(&b, "  %-44s %-12s %s\n", a.Email, strings.Join(roles, ","), a.Agency)
	}
	return b.String()
}
