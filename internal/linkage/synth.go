package linkage

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// A UK-shaped synthetic population: names of the communities of a Home Counties
// county (English, Irish, South Asian, Polish, Romanian, Bulgarian, Lithuanian,
// Albanian, Vietnamese, Chinese, Nigerian, Eritrean, Kurdish), double-barrelled
// surnames, households of several people at one address (families sharing a
// surname, housemates not), postcodes, and mobile numbers. Duplicates are
// corrupted as records typed by different agencies are: typos, nicknames,
// transliteration variants (Mohammed, Muhammad) and accents typed or not,
// initials only, swapped names, half a double-barrelled surname, dates of birth
// with day and month swapped, an estimated year, or 1 January standing for an
// unknown birthday, phones in several formats or with a wrong digit, street
// abbreviations, and missing values.

var synthGiven = strings.Fields(`oliver george harry jack jacob noah charlie muhammad thomas oscar william james
henry leo alfie joshua freddie archie ethan isaac alexander joseph edward samuel max daniel arthur lucas
mohammed logan theo harrison benjamin mason sebastian finley adam dylan zachary riley teddy david toby
jake louis elijah reuben rory michael matthew ryan luke christopher andrew robert richard stephen peter
paul mark anthony kevin olivia amelia isla ava emily isabella mia poppy ella lily jessica sophie grace
evie sophia charlotte scarlett chloe daisy freya alice florence phoebe ruby sienna millie matilda
elizabeth margaret katherine rebecca rachel sarah hannah laura emma victoria jennifer susan patricia
deborah aisha fatima zainab maryam amina priya anjali deepa sunita kamal raj arjun vikram tomasz piotr
agnieszka katarzyna andrei ioana mihai elena dmitri olga abdul ahmed yusuf ibrahim hassan ali omar
lukasz zoe patrick bridget siobhan sean florin ionut gabriela georgi dimitar petya tomas jonas ruta ardit
arben besnik klajdi elira blerta minh thanh huong linh tuan wei jing xin chinedu emeka ngozi oluwaseun
yonas tesfaye mehari selam reza hamid dara`)

// variants are other spellings met in records of one person: transliterations
// from Arabic, Bengali, Cyrillic and Ge'ez scripts, and accents typed or not.
var variants = map[string][]string{
	"muhammad": {"mohammed", "mohammad", "muhammed", "mohamed"}, "mohammed": {"muhammad", "mohammad", "mohamed"},
	"ahmed": {"ahmad", "ahmet"}, "yusuf": {"yousef", "yusef", "yousuf"}, "hassan": {"hasan"}, "omar": {"umar"},
	"ibrahim": {"ebrahim", "ibraheem"}, "fatima": {"fatimah", "fatma"}, "aisha": {"ayesha", "aysha"},
	"zainab": {"zaynab"}, "maryam": {"mariam"}, "amina": {"aminah"}, "abdul": {"abdool"}, "reza": {"riza"},
	"hussain": {"hussein", "husain"}, "chowdhury": {"choudhury", "chaudhry"}, "rahman": {"rehman"},
	"miah": {"meah"}, "uddin": {"udin"}, "begum": {"begom"}, "dmitri": {"dmitry", "dmitriy"}, "andrei": {"andrey"},
	"georgi": {"georgiy"}, "tesfaye": {"tesfay"}, "lukasz": {"łukasz"}, "wisniewski": {"wiśniewski"},
	"zoe": {"zoë"}, "ionut": {"ionuț"},
}

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
	"muhammad": {"mo"}, "mohammed": {"mo"}, "harry": {"henry"}, "henry": {"harry", "hal"},
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
oconnor fitzgerald kaczmarek abdullah rahman chowdhury miah uddin islam sharma gupta kumar
mcdonagh maughan doherty petrov dimitrov georgiev kazlauskas jankauskas hoxha gashi krasniqi berisha
shehu tran pham zhang liu okonkwo eze adebayo tesfay haile gebremedhin ahmadi karimi`)

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
	out := make([]SynthPerson, 0, n+4)
	var prev SynthPerson
	for e := 0; len(out) < n; e++ {
		p := newPerson(rng, e)
		if e > 0 && rng.IntN(8) == 0 {
			p = household(rng, p, prev)
		}
		prev = p
		out = append(out, p)
		dups := 0
		if rng.IntN(2) == 0 {
			dups = 1 + zipf(rng, 3)
		}
		for k := 0; k < dups && len(out) < n; k++ {
			out = append(out, corrupt(rng, p))
		}
	}
	return out
}

// SynthQueries makes n records to match against ps, none of them in ps: by turns
// a new corrupted duplicate of a person in ps (same entity) and a new person
// (an entity not in ps).
func SynthQueries(ps []SynthPerson, n int, seed uint64) []SynthPerson {
	rng := rand.New(rand.NewPCG(seed, 43))
	var firsts []int // each entity's first record, its original
	next := 0
	for i, p := range ps {
		if i == 0 || p.Entity != ps[i-1].Entity {
			firsts = append(firsts, i)
		}
		next = max(next, p.Entity+1)
	}
	out := make([]SynthPerson, 0, n)
	for i := 0; i < n; i++ {
		if i%2 == 0 && len(firsts) > 0 {
			out = append(out, corrupt(rng, ps[firsts[rng.IntN(len(firsts))]]))
		} else {
			out = append(out, newPerson(rng, next))
			next++
		}
	}
	return out
}

// zipf picks one of k, favouring the first (common names first in the lists).
func zipf(rng *rand.Rand, k int) int {
	x := rng.Float64()
	return int(x * x * float64(k))
}

func newPerson(rng *rand.Rand, e int) SynthPerson {
	g := synthGiven[zipf(rng, len(synthGiven))]
	s := synthSurname[zipf(rng, len(synthSurname))]
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
	return p
}

// household moves p in with q: same address and, for a family, same surname.
func household(rng *rand.Rand, p, q SynthPerson) SynthPerson {
	p.StreetNo, p.Address, p.Town, p.Postcode = q.StreetNo, q.Address, q.Town, q.Postcode
	if rng.IntN(2) == 0 {
		p.Surname = q.Surname
		if p.Email != "" {
			p.Email = fmt.Sprintf("%s.%s%d@%s", p.Given, strings.ReplaceAll(p.Surname, "-", ""), rng.IntN(100), p.Email[strings.IndexByte(p.Email, '@')+1:])
		}
	}
	return p
}

// typo makes one typing error: a letter substituted, dropped, doubled in or
// swapped with the next.
func typo(rng *rand.Rand, s string) string {
	b := []rune(s)
	if len(b) < 2 {
		return s
	}
	i := rng.IntN(len(b))
	switch rng.IntN(4) {
	case 0: // substitution
		b[i] = rune('a' + rng.IntN(26))
	case 1: // deletion
		b = append(b[:i], b[i+1:]...)
	case 2: // insertion
		b = append(b[:i], append([]rune{rune('a' + rng.IntN(26))}, b[i:]...)...)
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
	switch rng.IntN(6) {
	case 0:
		return "+44 " + p[1:5] + " " + p[5:]
	case 1:
		return p[:5] + " " + p[5:8] + " " + p[8:]
	case 2:
		return "(" + p[:5] + ") " + p[5:]
	case 3:
		return "+44 (0)" + p[1:5] + " " + p[5:]
	case 4:
		return p[:5] + "-" + p[5:]
	}
	return "0044" + p[1:]
}

var streetAbbrev = strings.NewReplacer("street", "st", "road", "rd", "lane", "ln", "avenue", "ave", "close", "cl",
	"drive", "dr", "gardens", "gdns", "crescent", "cres")

func corrupt(rng *rand.Rand, p SynthPerson) SynthPerson {
	q := p
	q.Phone = phoneFormat(rng, p.Phone)
	var d, m, y int
	fmt.Sscanf(p.DOB, "%d/%d/%d", &d, &m, &y)
	changes := 1 + rng.IntN(3)
	for c := 0; c < changes; c++ {
		switch rng.IntN(18) {
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
		case 7: // an age estimated, or a birthday unknown
			q.DOB = fmt.Sprintf("%d", y+rng.IntN(3)-1)
			if rng.IntN(2) == 0 {
				q.DOB = "01/01/" + q.DOB
			}
		case 8:
			q.Postcode = typo(rng, strings.ReplaceAll(q.Postcode, " ", ""))
		case 9:
			q.Postcode = ""
		case 10:
			q.Address, q.StreetNo = typo(rng, q.Address), ""
		case 11:
			q.Phone, q.Email = "", ""
		case 12: // another transliteration, or accents typed
			if v := variants[p.Given]; len(v) > 0 {
				q.Given = v[rng.IntN(len(v))]
			} else if v := variants[p.Surname]; len(v) > 0 {
				q.Surname = v[rng.IntN(len(v))]
			} else {
				q.Given = typo(rng, q.Given)
			}
		case 13:
			q.Given = strings.ToUpper(p.Given[:1]) + "."
		case 14: // half a double-barrelled surname, or none of the date of birth
			if i := strings.IndexByte(p.Surname, '-'); i > 0 && rng.IntN(2) == 0 {
				q.Surname = p.Surname[:i]
			} else if i > 0 {
				q.Surname = p.Surname[i+1:]
			} else {
				q.DOB = ""
			}
		case 15:
			if q.Phone != "" {
				digits := []byte(p.Phone)
				digits[2+rng.IntN(len(digits)-2)] = byte('0' + rng.IntN(10))
				q.Phone = phoneFormat(rng, string(digits))
			} else {
				q.Address = streetAbbrev.Replace(q.Address)
			}
		case 16:
			q.Address = streetAbbrev.Replace(q.Address)
		default:
			q.Surname = typo(rng, q.Surname)
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
