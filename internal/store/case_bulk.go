package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"tropic/internal/tropic"
)

// BulkCase is one case for a CaseLoader, with what is on it.
type BulkCase struct {
	Case       tropic.Case // the owner is Case.OwnerAgencyID; a reference is made when empty
	People     []BulkPerson
	Places     []*tropic.Place
	Businesses []*tropic.Business
	Vehicles   []*tropic.CaseVehicle
	Phones     []*tropic.CasePhone
	Shares     []*tropic.Share // as they stand: status, scope, until
}

// BulkPerson is a person on a BulkCase. The same *Person on several cases is one
// person: it is stored the first time (its ID is set then) and linked afterwards.
type BulkPerson struct {
	Person *tropic.Person
	Role   tropic.PersonRole
}

// CaseLoader writes generated cases straight into the store's tables, many rows to a
// statement and many cases to a transaction (COPY on PostgreSQL), with the same
// normalised columns and search terms the CaseService writes, so that its reads and
// Search find them. It is for benchmarks and load tests on a database nothing else
// is writing to: it numbers rows itself, and writes no audit events or access log.
type CaseLoader struct {
	db         *DB
	parsePhone tropic.PhoneParser
	now        time.Time
	by         string

	ids     map[string]int64 // the last id used per table
	rows    map[string][][]any
	pending int // cases buffered

	// Rows are made ready (validated, folded, numbered) by Add while the batch before
	// is written by another goroutine.
	batches chan bulkBatch
	written chan error  // the writer's first error, when it ends
	failed  atomic.Bool // set when the writer has met an error
	werr    error       // the writer's error, once it has ended
	sinceTx int         // cases written in the open transaction (the writer's)

	tx    *sql.Tx // SQLite
	conn  *sql.Conn
	pgTx  pgx.Tx // PostgreSQL
	stmts map[string]*sql.Stmt
}

// bulkTables are the tables a CaseLoader fills, in the order they are written
// (parents first), with the columns it writes.
var bulkTables = []struct {
	name string
	cols []string
}{
	{"cases", []string{"id", "reference", "owner_agency_id", "title", "title_folded", "district", "exploitation", "county_lines", "status", "outcome",
		"opened_at", "closed_at", "crime_reference", "offence", "crime_recorded_at", "created_by_user", "version", "updated_at", "updated_by_user", "updated_by"}},
	{"people", []string{"id", "owner_agency_id", "given_name", "family_name", "name_folded", "date_of_birth", "approx_age", "gender",
		"nationality", "languages", "phone", "phone_e164", "email", "immigration_status", "health", "version", "created_at", "updated_at", "updated_by_user", "updated_by",
		"email_norm", "name_key", "surname_key", "keys_version"}},
	{"person_aliases", []string{"id", "person_id", "position", "alias", "alias_folded"}},
	{"case_people", []string{"id", "case_id", "person_id", "role", "coerced_offender", "added_at", "added_by_user"}},
	{"case_places", []string{"id", "case_id", "kind", "address", "postcode", "notes"}},
	{"case_businesses", []string{"id", "case_id", "name", "name_folded", "kind", "company_number", "address"}},
	{"case_vehicles", []string{"id", "case_id", "registration", "normalised", "description"}},
	{"case_phones", []string{"id", "case_id", "number", "e164", "notes"}},
	{"case_shares", []string{"id", "case_id", "agency_id", "scope", "lawful_basis", "reason", "until_day", "status", "requested_by_user", "requested_by",
		"granted_by_user", "granted_by", "created_at", "decided_at", "revoked_at", "revoked_by_user", "agreement_id", "no_agreement_reason"}},
	{"search_terms", []string{"kind", "term", "object_id"}},
}

const (
	bulkFlushCases = 2000  // cases buffered before they are written
	bulkTxCases    = 50000 // cases per transaction
)

type bulkBatch struct {
	rows  map[string][][]any
	cases int
}

// NewCaseLoader starts a bulk load. by names who the rows say made them; now is
// the time of rows that have no time of their own. Call Close to finish, or Abort.
func (db *DB) NewCaseLoader(ctx context.Context, parsePhone tropic.PhoneParser, by string, now time.Time) (*CaseLoader, error) {
	l := &CaseLoader{db: db, parsePhone: parsePhone, by: by, now: now.UTC().Truncate(time.Microsecond),
		ids: map[string]int64{}, rows: map[string][][]any{}, stmts: map[string]*sql.Stmt{}}
	for _, t := range bulkTables {
		if t.name == "search_terms" {
			continue
		}
		var last int64
		if err := db.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+t.name).Scan(&last); err != nil {
			return nil, fmt.Errorf("bulk load: %w", err)
		}
		l.ids[t.name] = last
	}
	if db.dialect == SQLite {
		// A larger page cache for the load keeps the indexes' pages in memory while
		// rows arrive in random key order; it is given back in Close.
		if _, err := db.write.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			return nil, fmt.Errorf("bulk load: %w", err)
		}
	}
	if err := l.begin(ctx); err != nil {
		return nil, err
	}
	l.batches, l.written = make(chan bulkBatch, 1), make(chan error, 1)
	go l.writer(ctx)
	return l, nil
}

// writer writes batches in order, committing once a transaction holds enough cases;
// after an error it drains what comes and reports the error.
func (l *CaseLoader) writer(ctx context.Context) {
	var first error
	for b := range l.batches {
		if first == nil {
			first = l.write(ctx, b)
			l.failed.Store(first != nil)
		}
	}
	l.written <- first
}

func (l *CaseLoader) begin(ctx context.Context) error {
	l.sinceTx = 0
	if l.db.dialect == SQLite {
		tx, err := l.db.write.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("bulk load: begin: %w", err)
		}
		l.tx, l.stmts = tx, map[string]*sql.Stmt{}
		return nil
	}
	if l.conn == nil {
		conn, err := l.db.write.Conn(ctx)
		if err != nil {
			return fmt.Errorf("bulk load: %w", err)
		}
		l.conn = conn
	}
	return l.conn.Raw(func(dc any) error {
		tx, err := dc.(*stdlib.Conn).Conn().Begin(ctx)
		l.pgTx = tx
		return err
	})
}

func (l *CaseLoader) nextID(table string) int64 {
	l.ids[table]++
	return l.ids[table]
}

func (l *CaseLoader) add(table string, row ...any) { l.rows[table] = append(l.rows[table], row) }

func (l *CaseLoader) terms(kind string, id int64, texts ...string) {
	for _, t := range termsOfKind(kind, texts...) {
		l.add("search_terms", kind, t, id)
	}
}

func bulkTime(t, otherwise time.Time) time.Time {
	if t.IsZero() {
		return otherwise
	}
	return t.UTC().Truncate(time.Microsecond)
}

// Add validates a case and what is on it as the CaseService would, and buffers it.
func (l *CaseLoader) Add(ctx context.Context, bc *BulkCase) error {
	c := &bc.Case
	if err := c.Validate(); err != nil {
		return fmt.Errorf("bulk case %q: %w", c.Title, err)
	}
	if c.Reference == "" {
		c.Reference = tropic.NewCaseReference()
	}
	c.ID = l.nextID("cases")
	opened := bulkTime(c.OpenedAt, l.now)
	updated := bulkTime(c.UpdatedAt, opened)
	if c.Status != tropic.CaseClosed {
		c.Outcome, c.ClosedAt = "", time.Time{}
	} else if c.ClosedAt.IsZero() {
		c.ClosedAt = updated
	}
	if c.CrimeReference != "" && c.CrimeRecorded.IsZero() {
		c.CrimeRecorded = opened
	}
	version := max(c.Version, 1)
	l.add("cases", c.ID, c.Reference, c.OwnerAgencyID, c.Title, tropic.FoldName(c.Title), c.District, c.Exploitation.String(), c.Exploitation.CountyLines,
		string(c.Status), string(c.Outcome), opened, nullTime(bulkTime(c.ClosedAt, time.Time{})), c.CrimeReference, string(c.Offence),
		nullTime(bulkTime(c.CrimeRecorded, time.Time{})), nil, version, updated, nil, l.by)
	l.terms(termTitle, c.ID, c.Title)

	onCase := map[*tropic.Person]tropic.PersonRole{}
	for _, bp := range bc.People {
		p := bp.Person
		if !bp.Role.Valid() {
			return fmt.Errorf("bulk case %q: role %q", c.Title, bp.Role)
		}
		// The victim-first rule as for any path; a person is on a case once.
		verdict, err := tropic.DecideRoleTransition(tropic.RoleTransition{Path: tropic.PathImport, From: onCase[p], To: bp.Role,
			WasVictim: onCase[p] == tropic.RolePotentialVictim, OwnerAgencyID: c.OwnerAgencyID, OwnerAgency: fmt.Sprintf("agency %d", c.OwnerAgencyID)}, tropic.Actor{})
		if err != nil {
			return fmt.Errorf("bulk case %q, person %q: %w", c.Title, p.FullName(), err)
		}
		if _, twice := onCase[p]; twice || verdict != tropic.RoleAllowed {
			return fmt.Errorf("bulk case %q: person %q is on the case twice", c.Title, p.FullName())
		}
		onCase[p] = bp.Role
		if p.ID == 0 {
			if err := p.Validate(l.parsePhone, l.now); err != nil {
				return fmt.Errorf("bulk person %q: %w", p.FullName(), err)
			}
			p.ID, p.OwnerAgencyID, p.Version = l.nextID("people"), c.OwnerAgencyID, 1
			created := bulkTime(p.CreatedAt, opened)
			k := l.db.personKeys(p.GivenName, p.FamilyName, p.Email)
			l.add("people", p.ID, p.OwnerAgencyID, p.GivenName, p.FamilyName, tropic.FoldName(p.GivenName+" "+p.FamilyName), p.DateOfBirth, p.ApproxAge,
				string(p.Gender), p.Nationality, p.Languages, p.Phone, p.PhoneE164, p.Email, p.ImmigrationStatus, p.Health, 1, created, created, nil, l.by,
				k.EmailNorm, k.NameKey, k.SurnameKey, personKeysVersion)
			l.terms(termPerson, p.ID, p.GivenName+" "+p.FamilyName)
			for i, a := range p.Aliases {
				id := l.nextID("person_aliases")
				l.add("person_aliases", id, p.ID, i, a, tropic.FoldName(a))
				l.terms(termAlias, id, a)
			}
		}
		l.add("case_people", l.nextID("case_people"), c.ID, p.ID, string(bp.Role), false, opened, nil)
	}
	for _, pl := range bc.Places {
		if err := pl.Validate(); err != nil {
			return fmt.Errorf("bulk place: %w", err)
		}
		pl.ID = l.nextID("case_places")
		l.add("case_places", pl.ID, c.ID, string(pl.Kind), pl.Address, pl.Postcode, pl.Notes)
	}
	for _, b := range bc.Businesses {
		if err := b.Validate(); err != nil {
			return fmt.Errorf("bulk business: %w", err)
		}
		b.ID = l.nextID("case_businesses")
		l.add("case_businesses", b.ID, c.ID, b.Name, l.db.businessKey(b.Name), b.Kind, b.CompanyNumber, b.Address)
		l.terms(termBusiness, b.ID, b.Name)
	}
	for _, v := range bc.Vehicles {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("bulk vehicle: %w", err)
		}
		v.ID = l.nextID("case_vehicles")
		l.add("case_vehicles", v.ID, c.ID, v.Registration, v.Normalised, v.Description)
	}
	for _, ph := range bc.Phones {
		if err := ph.Validate(l.parsePhone); err != nil {
			return fmt.Errorf("bulk phone: %w", err)
		}
		ph.ID = l.nextID("case_phones")
		l.add("case_phones", ph.ID, c.ID, ph.Number, ph.E164, ph.Notes)
	}
	for _, s := range bc.Shares {
		if s.AgencyID == 0 || (s.Scope != tropic.ShareWhole && s.Scope != tropic.ShareWithoutSensitive) || s.Status == "" {
			return fmt.Errorf("bulk share of %q: agency, scope and status are needed", c.Title)
		}
		s.ID, s.CaseID = l.nextID("case_shares"), c.ID
		created := bulkTime(s.CreatedAt, opened)
		var decided, revoked any
		if s.Status != tropic.ShareRequested {
			decided = bulkTime(s.DecidedAt, created)
		}
		if s.Status == tropic.ShareRevoked {
			revoked = bulkTime(s.RevokedAt, created)
		}
		// An import that cites no agreement says so: the share shows flagged.
		if s.AgreementID == 0 && s.NoAgreementReason == "" {
			s.NoAgreementReason = tropic.NoAgreementRecorded
		}
		l.add("case_shares", s.ID, c.ID, s.AgencyID, string(s.Scope), s.LawfulBasis, s.Reason, s.Until, string(s.Status), nil, l.by, nil, l.by,
			created, decided, revoked, nil, nullID(s.AgreementID), s.NoAgreementReason)
	}
	l.pending++
	if l.pending >= bulkFlushCases {
		return l.flush(ctx)
	}
	return nil
}

// flush hands the buffered rows to the writer.
func (l *CaseLoader) flush(ctx context.Context) error {
	if l.failed.Load() {
		return l.stop()
	}
	select {
	case l.batches <- bulkBatch{rows: l.rows, cases: l.pending}:
	case <-ctx.Done():
		return ctx.Err()
	}
	l.rows, l.pending = map[string][][]any{}, 0
	return nil
}

// write writes a batch, and commits once a transaction holds enough cases.
func (l *CaseLoader) write(ctx context.Context, b bulkBatch) error {
	for _, t := range bulkTables {
		rows := b.rows[t.name]
		if len(rows) == 0 {
			continue
		}
		var err error
		if l.db.dialect == Postgres {
			_, err = l.pgTx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(rows))
		} else {
			err = l.insertSQLite(ctx, t.name, t.cols, rows)
		}
		if err != nil {
			return fmt.Errorf("bulk load %s: %w", t.name, err)
		}
	}
	l.sinceTx += b.cases
	if l.sinceTx >= bulkTxCases {
		if err := l.commit(ctx); err != nil {
			return err
		}
		return l.begin(ctx)
	}
	return nil
}

// insertSQLite writes rows with multi-row INSERTs of up to 32766 parameters, SQLite's limit.
func (l *CaseLoader) insertSQLite(ctx context.Context, table string, cols []string, rows [][]any) error {
	per := min(500, 32766/len(cols))
	args := make([]any, 0, per*len(cols))
	for len(rows) > 0 {
		n := min(per, len(rows))
		key := fmt.Sprintf("%s/%d", table, n)
		st := l.stmts[key]
		if st == nil {
			one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
			var err error
			st, err = l.tx.PrepareContext(ctx, `INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) VALUES `+
				strings.TrimSuffix(strings.Repeat(one+", ", n), ", "))
			if err != nil {
				return err
			}
			l.stmts[key] = st
		}
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func (l *CaseLoader) commit(ctx context.Context) error {
	if l.db.dialect == SQLite {
		for _, st := range l.stmts {
			st.Close()
		}
		l.stmts = nil
		err := l.tx.Commit()
		l.tx = nil
		return err
	}
	err := l.pgTx.Commit(ctx)
	l.pgTx = nil
	return err
}

// Close writes what is buffered, commits, moves PostgreSQL's identity sequences past
// the rows written, and updates the planner's statistics, as a database that grew
// to this size would have them.
func (l *CaseLoader) Close(ctx context.Context) error {
	err := l.flush(ctx)
	if werr := l.stop(); werr != nil {
		err = werr
	}
	if err != nil {
		l.Abort()
		return err
	}
	if err = l.commit(ctx); err != nil {
		l.Abort()
		return fmt.Errorf("bulk load: commit: %w", err)
	}
	if l.conn != nil {
		l.conn.Close()
		l.conn = nil
	}
	if l.db.dialect == Postgres {
		for _, t := range bulkTables {
			if t.name == "search_terms" {
				continue
			}
			if _, err := l.db.write.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), $2, $3)`, t.name, max(l.ids[t.name], 1), l.ids[t.name] > 0); err != nil {
				return fmt.Errorf("bulk load: sequence of %s: %w", t.name, err)
			}
		}
		_, err = l.db.write.ExecContext(ctx, `VACUUM ANALYZE`)
		return err
	}
	if _, err := l.db.write.ExecContext(ctx, `PRAGMA cache_size = -2000`); err != nil {
		return err
	}
	_, err = l.db.write.ExecContext(ctx, `ANALYZE`)
	return err
}

// stop ends the writer once and returns its error.
func (l *CaseLoader) stop() error {
	if l.batches != nil {
		close(l.batches)
		l.werr, l.batches = <-l.written, nil
	}
	return l.werr
}

// Abort gives up the load, rolling back what is not committed.
func (l *CaseLoader) Abort() {
	l.stop()
	if l.tx != nil {
		l.tx.Rollback()
		l.tx = nil
	}
	if l.pgTx != nil {
		l.pgTx.Rollback(context.Background())
		l.pgTx = nil
	}
	if l.conn != nil {
		l.conn.Close()
		l.conn = nil
	}
	if l.db.dialect == SQLite {
		l.db.write.ExecContext(context.Background(), `PRAGMA cache_size = -2000`)
	}
}
