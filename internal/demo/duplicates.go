package demo

import (
	"fmt"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// metPerson is a person as the seeder first recorded them.
type metPerson struct {
	p    tropic.Person
	c    *demoCase
	role tropic.PersonRole
	at   time.Time
}

// nicknames are the short forms a second agency may write down instead.
var nicknames = map[string]string{
	"Jonathan": "Jon", "Daniel": "Dan", "Aleksander": "Olek", "Katarzyna": "Kasia", "Mohammed": "Mohamed",
	"Muhammad": "Mohammad", "Elizabeth": "Liz", "Christopher": "Chris", "Alexandru": "Alex", "Andrei": "Andrey",
	"Nguyen": "Nguyen", "Michael": "Mike", "Thomas": "Tom", "William": "Will", "Joseph": "Joe", "Samuel": "Sam",
}

// nearDuplicates records k people a second time on another agency's open case, as
// a different worker would have written them: a nickname or a typo in the given
// name, the day and month of birth swapped, the phone typed another way. These are
// what the probabilistic matcher is for; the case pages suggest them.
func (cs *caseSeeder) nearDuplicates(k int) error {
	g := cs.g
	for tries := 0; cs.stats.NearDuplicates < k && tries < 20*k && len(cs.met) > 0; tries++ {
		m := cs.met[g.IntN(len(cs.met))]
		if len(m.p.DateOfBirth) != len("2006-01-02") || m.p.GivenName == "" || m.p.FamilyName == "" {
			continue
		}
		var hosts []*demoCase
		for _, c := range cs.cases {
			if c.team != m.c.team && c.openAt(cs.now) && c.opened.After(m.at) {
				hosts = append(hosts, c)
			}
		}
		if len(hosts) == 0 {
			continue
		}
		host := hosts[g.IntN(len(hosts))]
		p := m.p
		p.ID, p.Aliases, p.ImmigrationStatus, p.Health = 0, nil, "", ""
		switch g.IntN(3) {
		case 0:
			if n, ok := nicknames[p.GivenName]; ok {
				p.GivenName = n
			} else if r := []rune(p.GivenName); len(r) > 4 {
				i := 1 + g.IntN(len(r)-2) // swap two letters inside the name
				r[i], r[i+1] = r[i+1], r[i]
				p.GivenName = string(r)
			}
		case 1:
			p.GivenName, p.FamilyName = p.FamilyName, p.GivenName // recorded surname first
		case 2:
			p.FamilyName = strings.ToUpper(p.FamilyName)
		}
		if d := p.DateOfBirth; d[8:] <= "12" && d[5:7] != d[8:] && g.IntN(2) == 0 {
			p.DateOfBirth = d[:5] + d[8:] + "-" + d[5:7] // day and month swapped
		}
		if p.Phone != "" {
			p.Phone = retype(p.Phone)
		}
		at := host.opened.Add(time.Duration(2+g.IntN(20*24)) * time.Hour)
		if at.After(cs.now) {
			at = cs.now
		}
		cs.at(at)
		role := tropic.RolePotentialVictim
		if m.role == tropic.RoleSuspect && host.team.slug == "police" {
			role = tropic.RoleSuspect
		}
		if err := cs.s.Cases.AddPerson(cs.ctx, host.team.worker, host.ref, &p, role); err != nil {
			return fmt.Errorf("add near-duplicate of person %d to %s: %w", m.p.ID, host.ref, err)
		}
		cs.stats.People++
		cs.stats.NearDuplicates++
	}
	return nil
}

// retype writes a UK mobile number the other usual way: "+44 7700 900123" for
// "07700 900123" and the reverse.
func retype(phone string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
	switch {
	case strings.HasPrefix(digits, "447") && len(digits) == 12:
		return "0" + digits[2:6] + " " + digits[6:]
	case strings.HasPrefix(digits, "07") && len(digits) == 11:
		return "+44 " + digits[1:5] + " " + digits[5:]
	}
	return phone
}
