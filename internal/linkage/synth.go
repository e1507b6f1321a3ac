package linkage

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// A UK-shaped synthetic population: names with nicknames, postcodes, mobile
// numbers typed in several formats, and duplicates corrupted by typos, nicknames,
// swapped names, date errors and missing values.

var synthGiven = strings.Fields(`oliver george harry jack jacob noah charlie muhammad thomas oscar william james
henry leo alfie joshua freddie archie ethan isaac alexander joseph edward samuel max daniel arthur lucas
mohammed logan theo harrison benjamin mason sebastian finley adam dylan zachary riley teddy david toby
jake louis elijah reuben rory michael matthew ryan luke christopher andrew robert richard stephen peter
paul mark anthony kevin olivia amelia isla ava emily isabella mia poppy ella lily jessica sophie grace
evie sophia charlotte scarlett chloe daisy freya alice florence phoebe ruby sienna millie matilda
elizabeth margaret katherine rebecca rachel sarah hannah laura emma victoria jennifer susan patricia
deborah aisha fatima zainab maryam amina priya anjali deepa sunita kamal raj arjun vikram tomasz piotr
agnieszka katarzyna andrei ioana mihai elena dmitri olga abdul ahmed yusuf ibrahim hassan ali omar`)

var nicknames = map[string][]string{
	"william": {"bill", "will", "billy"}, "robert": {"bob", "rob", "bobby"}, "richard": {"rick", "dick", "richie"},
	"james": {"jim", "jimmy", "jamie"}, "thomas": {"tom", "tommy"}, "alexander": {"alex", "sandy"},
	"joseph": {"joe", "joey"}, "edward": {"ed", "ted", "eddie"}, "samuel": {"sam", "sammy"},
	"daniel": {"dan", "danny"}, "benjamin": {"ben", "benny"}, "michael": {"mike", "mick"},
	"matthew": {"matt"}, "christopher": {"chris", "kit"}, "andrew": {"andy", "drew"}, "stephen": {"steve"},
	"anthony": {"tony"}, "elizabeth": {"liz", "beth", "betty", "lizzie"}, "margaret": {"maggie", "peggy", "meg"},
	"katherine": {"kate", "kathy", "katie"}, "rebecca": {"becky", "becca"}, "jennifer": {"jen", "jenny"},
	"susan": {"sue", "susie"}, "patricia": {"pat", "trish"}, "deborah": {"debbie", "deb"},
	"victoria": {"vicky", "tori"}, "jessica": {"jess"}, "isabella": {"bella", "izzy"}, "charlotte": {"charlie", "lottie"},
	"muhammad": {"mohammed", "mohamed"}, "mohammed": {"muhammad", "mo"}, "harry": {"henry"}, "henry": {"harry", "hal"},
	"peter": {"pete"}, "david": {"dave", "davy"}, "zachary": {"zach"}, "theo": {"theodore"}, "frederick": {"fred"},
	"freddie": {"fred"}, "tomasz": {"tom"}, "dmitri": {"dima"}, "katarzyna": {"kasia"}, "agnieszka": {"aga"},
}

var synthSurname = strings.Fields(`smith jones williams taylor brown davies evans wilson thomas johnson roberts
robinson thompson wright walker white edwards hughes green hall lewis harris clarke patel jackson wood turner
martin cooper hill ward morris moore clark lee king baker harrison morgan allen james scott phillips watson
davis parker price bennett young griffiths mitchell kelly cook carter richardson bailey collins bell shaw
murphy miller cox richards khan marshall anderson simpson ellis adams singh begum wilkinson foster chapman
powell webb rogers gray mason ali hussain campbell matthews owen palmer holmes mills barnes knight lloyd
butler russell barker fisher stevens jenkins murray dixon harvey graham pearson ahmed fletcher walsh kaur
gibson howard andrews stewart elliott reynolds saunders payne fox ford pearce day brooks west lawrence cole
atkinson bradley spencer gill dawson ball burton obrien watts rose booth perry ryan grant wells armstrong
francis rees hayes hart hudson newman barrett webster hunter gregory carr lowe page marsh riley dunn woods
nowak kowalski wisniewski popescu ionescu ivanov nguyen chen wang okafor mensah adeyemi mcdonald macleod
oconnor fitzgerald kaczmarek abdullah rahman chowdhury miah uddin islam sharma gupta kumar`)

var synthTowns = strings.Fields(`london birmingham manchester leeds sheffield bristol liverpool leicester
coventry bradford nottingham hull stoke wolverhampton derby southampton portsmouth plymouth reading luton
watford stalbans hemel stevenage hatfield harpenden hitchin letchworth welwyn cambridge oxford norwich`)

var synthStreets = strings.Fields(`high church station park victoria green manor mill queens kings grange
school london north south west new albert york windsor springfield chestnut orchard meadow`)
var synthStreetKinds = []string{"street", "road", "lane", "avenue", "close", "drive", "way", "gardens", "crescent"}

// SynthPerson is one generated record with the entity it describes.
type SynthPerson struct {
	Entity                      int
	Given, Surname              string
	StreetNo, Address, Town     string
	Postcode, DOB, Phone, Email string
}

// Synthesize makes about n records: originals and up to three corrupted duplicates
// each (roughly a third of the records are duplicates).
func Synthesize(n int, seed uint64) []SynthPerson {
	rng := rand.New(rand.NewPCG(seed, 42))
	zipf := func(k int) int { // favour common names
		x := rng.Float64()
		return int(x * x * float64(k))
	}
	out := make([]SynthPerson, 0, n+4)
	for e := 0; len(out) < n; e++ {
		g := synthGiven[zipf(len(synthGiven))]
		s := synthSurname[zipf(len(synthSurname))]
		if rng.IntN(10) == 0 { // double-barrelled
			s = s + "-" + synthSurname[rng.IntN(len(synthSurname))]
		}
		area := string(rune('a'+rng.IntN(26))) + string(rune('a'+rng.IntN(26)))
		pc := fmt.Sprintf("%s%d %d%c%c", area, 1+rng.IntN(20), rng.IntN(10), 'a'+rng.IntN(26), 'a'+rng.IntN(26))
		y, m, d := 1940+rng.IntN(66), 1+rng.IntN(12), 1+rng.IntN(28)
		mob := fmt.Sprintf("07%03d%06d", 100+rng.IntN(900), rng.IntN(1000000))
		p := SynthPerson{Entity: e, Given: g, Surname: s, StreetNo: fmt.Sprint(1 + rng.IntN(200)),
			Address: synthStreets[rng.IntN(len(synthStreets))] + " " + synthStreetKinds[rng.IntN(len(synthStreetKinds))],
			Town:    synthTowns[rng.IntN(len(synthTowns))], Postcode: pc,
			DOB: fmt.Sprintf("%02d/%02d/%04d", d, m, y), Phone: mob}
		if rng.IntN(2) == 0 {
			p.Email = fmt.Sprintf("%s.%s%d@%s", g, strings.ReplaceAll(s, "-", ""), rng.IntN(100), []string{"gmail.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk"}[rng.IntN(4)])
		}
		if rng.IntN(3) == 0 {
			p.Phone = ""
		}
		out = append(out, p)
		dups := 0
		if rng.IntN(2) == 0 {
			dups = 1 + zipf(3)
		}
		for k := 0; k < dups && len(out) < n; k++ {
			out = append(out, corrupt(rng, p))
		}
	}
	return out
}

func typo(rng *rand.Rand, s string) string {
	if len(s) < 2 {
		return s
	}
	b := []byte(s)
	i := rng.IntN(len(b))
	switch rng.IntN(4) {
	case 0: // substitution
		b[i] = byte('a' + rng.IntN(26))
	case 1: // deletion
		b = append(b[:i], b[i+1:]...)
	case 2: // insertion
		b = append(b[:i], append([]byte{byte('a' + rng.IntN(26))}, b[i:]...)...)
	default: // transposition
		if i+1 < len(b) {
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	return string(b)
}

func phoneFormat(rng *rand.Rand, p string) string {
	if p == "" {
		return p
	}
	switch rng.IntN(4) {
	case 0:
		return "+44 " + p[1:5] + " " + p[5:]
	case 1:
		return p[:5] + " " + p[5:8] + " " + p[8:]
	case 2:
		return "(" + p[:5] + ") " + p[5:]
	}
	return "0044" + p[1:]
}

func corrupt(rng *rand.Rand, p SynthPerson) SynthPerson {
	q := p
	q.Phone = phoneFormat(rng, p.Phone)
	var d, m, y int
	fmt.Sscanf(p.DOB, "%d/%d/%d", &d, &m, &y)
	changes := 1 + rng.IntN(3)
	for c := 0; c < changes; c++ {
		switch rng.IntN(12) {
		case 0, 1:
			q.Given = typo(rng, q.Given)
		case 2, 3:
			q.Surname = typo(rng, q.Surname)
		case 4:
			if nn := nicknames[p.Given]; len(nn) > 0 {
				q.Given = nn[rng.IntN(len(nn))]
			} else {
				q.Given = p.Given[:1]
			}
		case 5:
			q.Given, q.Surname = q.Surname, q.Given
		case 6:
			if d <= 12 && d != m {
				q.DOB = fmt.Sprintf("%02d/%02d/%04d", m, d, y) // US order
			} else {
				q.DOB = fmt.Sprintf("%04d-%02d-%02d", y, m, 1+rng.IntN(28))
			}
		case 7:
			q.DOB = fmt.Sprintf("%d", y+rng.IntN(3)-1)
		case 8:
			q.Postcode = typo(rng, strings.ReplaceAll(q.Postcode, " ", ""))
		case 9:
			q.Postcode = ""
		case 10:
			q.Address, q.StreetNo = typo(rng, q.Address), ""
		default:
			q.Phone, q.Email = "", ""
		}
	}
	if rng.IntN(3) == 0 {
		q.Given, q.Surname = strings.ToUpper(q.Given), strings.Title(q.Surname) //nolint:staticcheck
	}
	return q
}

// SynthRecords prepares generated people for matching, with their entities.
func SynthRecords(ps []SynthPerson) ([]Record, []string) {
	recs := make([]Record, len(ps))
	ents := make([]string, len(ps))
	parallel(len(ps), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			p := ps[i]
			recs[i] = Record{Given: p.Given, Surname: p.Surname, StreetNo: p.StreetNo, Address: p.Address,
				Locality: p.Town, Postcode: p.Postcode, DOB: ParseDOB(p.DOB), Phone: p.Phone, Email: p.Email}
			recs[i].Prepare()
			ents[i] = fmt.Sprint(p.Entity)
		}
	})
	return recs, ents
}
