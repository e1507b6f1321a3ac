package store

import (
	"context"
	"crypto/subtle"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"tropic/internal/tropic"
)

// A report's follow-up code (about 50 random bits) is stored sealed: its SHA-256 form
// (tropic.HashFollowUpCode, which reads the code as people type it) is hashed again
// with argon2id and a salt of its own (Options.FollowUpCodes), so that a copy of the
// database gives no code back to a fast offline search. Rows written before (issue
// 19, item 6) held the SHA-256 form bare; SealLegacyFollowUpCodes seals them in
// place, as that form is exactly what a code is sealed from, and until it has run a
// bare one still works and is sealed on its first right use.

// sealedCodePrefix starts every sealed code (a PHC argon2id string).
const sealedCodePrefix = "$argon2id$"

// followUpCodesSetting marks the bare codes of earlier rows as sealed.
const followUpCodesSetting = "follow_up_codes_sealed"

// followUpCodes is Options.FollowUpCodes; a service that needs it on a DB opened
// without it is a wiring mistake, told at once.
func (db *DB) followUpCodes() tropic.PasswordChecker {
	if db.codes == nil {
		panic("store: this database was opened without Options.FollowUpCodes, which reports need (see cmd/tropic/wire.go)")
	}
	return db.codes
}

// sealFollowUpCode is what is stored of a code given in its SHA-256 form.
func (db *DB) sealFollowUpCode(codeHash string) (string, error) {
	if strings.HasPrefix(codeHash, sealedCodePrefix) {
		return "", fmt.Errorf("seal follow-up code: given a sealed code, not its hash")
	}
	return db.followUpCodes().HashPassword(codeHash)
}

// bareFollowUpCode reports whether stored is a code's SHA-256 form kept bare, as rows
// written before codes were sealed hold it: 64 hex digits.
func bareFollowUpCode(stored string) bool {
	if len(stored) != 64 {
		return false
	}
	for _, r := range stored {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// followUpCodeMatches reports whether codeHash (tropic.HashFollowUpCode of what was
// typed) opens stored, in constant time. Every answer costs one verification at the
// sealing cost, whether stored is sealed, bare, or "" for a reference that does not
// exist, so that the time taken does not tell them apart.
func (db *DB) followUpCodeMatches(stored, codeHash string) bool {
	codes := db.followUpCodes()
	if strings.HasPrefix(stored, sealedCodePrefix) {
		ok, err := codes.VerifyPassword(codeHash, stored)
		return ok && err == nil
	}
	codes.DummyVerify(codeHash)
	return bareFollowUpCode(stored) && subtle.ConstantTimeCompare([]byte(stored), []byte(codeHash)) == 1
}

// sealBatch is how many bare codes SealLegacyFollowUpCodes seals per transaction.
const sealBatch = 100

// SealLegacyFollowUpCodes seals the follow-up codes that rows written before issue
// 19 hold bare, once (a settings row says it is done), and returns how many it sealed.
// Each costs one slow hash, spread over the processors: a one-off cost at the first
// start of this version (about 37 ms a code on one core of a development machine).
// Run it after migrating.
func SealLegacyFollowUpCodes(ctx context.Context, db *DB) (int, error) {
	done, err := settingDone(ctx, db, followUpCodesSetting)
	if err != nil || done {
		return 0, err
	}
	total := 0
	var after int64
	for {
		n, last, err := sealFollowUpBatch(ctx, db, after)
		total += n
		if err != nil {
			return total, err
		}
		if last == 0 {
			break
		}
		after = last
	}
	return total, markSettingDone(ctx, db, followUpCodesSetting)
}

// sealFollowUpBatch seals the bare codes among the sealBatch reports after id after;
// last is the last report read, 0 when none was.
func sealFollowUpBatch(ctx context.Context, db *DB, after int64) (n int, last int64, err error) {
	type row struct {
		id           int64
		bare, sealed string
	}
	var rows []row
	rtx, err := db.beginRead(ctx)
	if err != nil {
		return 0, 0, err
	}
	rs, err := rtx.Query(ctx, `SELECT id, follow_up_hash FROM reports WHERE id > ? ORDER BY id LIMIT ?`, after, sealBatch)
	if err != nil {
		rtx.Rollback()
		return 0, 0, fmt.Errorf("find follow-up codes to seal: %w", err)
	}
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.id, &r.bare); err != nil {
			rs.Close()
			rtx.Rollback()
			return 0, 0, err
		}
		last = r.id
		if bareFollowUpCode(r.bare) {
			rows = append(rows, r)
		}
	}
	rs.Close()
	err = rs.Err()
	rtx.Rollback()
	if err != nil || len(rows) == 0 {
		return 0, last, err
	}
	// The slow part, outside any transaction, on every processor.
	var wg sync.WaitGroup
	errs := make([]error, len(rows))
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rows[i].sealed, errs[i] = db.sealFollowUpCode(rows[i].bare)
			}
		}()
	}
	for i := range rows {
		next <- i
	}
	close(next)
	wg.Wait()
	tx, err := db.beginTx(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	for i, r := range rows {
		if errs[i] != nil {
			return 0, 0, errs[i]
		}
		// Unless sealed meanwhile, on its first right use.
		if _, err := tx.Exec(ctx, `UPDATE reports SET follow_up_hash = ? WHERE id = ? AND follow_up_hash = ?`, r.sealed, r.id, r.bare); err != nil {
			return 0, 0, fmt.Errorf("seal follow-up code: %w", err)
		}
	}
	return len(rows), last, tx.Commit()
}

// settingDone reports whether the one-off step named key has run on db.
func settingDone(ctx context.Context, db *DB, key string) (bool, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM settings WHERE key = ?`, key).Scan(&n); err != nil {
		return false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return n > 0, nil
}

// markSettingDone records that the one-off step named key has run.
func markSettingDone(ctx context.Context, db *DB, key string) error {
	tx, err := db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, '1')`, key); err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return tx.Commit()
}

// reporterReport finds the report whose reference and code a reporter gave (the
// follow-up, messages and reply pages): one row read and one slow verification
// whether or not the reference exists, outside any write transaction, and nothing
// written on a wrong code. A wrong code and an unknown reference answer alike
// (docs/decisions.md, "The right follow-up code always gets through"). When the row
// held the code bare (written before codes were sealed), sealed is its sealed form,
// for sealOnUse to store now the code is known right.
func (db *DB) reporterReport(ctx context.Context, ref, codeHash string) (id int64, stored, sealed string, err error) {
	denied := tropic.Errorf(tropic.EUNAUTHORISED, "The reference or the follow-up code is not right. Check them and try again.")
	if ref, err = tropic.ParseReference(ref); err != nil {
		return 0, "", "", denied // told by the check character alone, offline: nothing to hide
	}
	rtx, err := db.beginRead(ctx)
	if err != nil {
		return 0, "", "", err
	}
	err = rtx.QueryRow(ctx, `SELECT id, follow_up_hash FROM reports WHERE reference = ?`, ref).Scan(&id, &stored)
	rtx.Rollback()
	known := err == nil
	if !known && tropic.ErrorCode(mapError(err)) != tropic.ENOTFOUND {
		return 0, "", "", fmt.Errorf("find report: %w", err)
	}
	if !db.followUpCodeMatches(stored, codeHash) || !known {
		// A wrong code writes nothing, for a report or for none: a write's commit takes
		// longer than none, which would tell that the reference exists. Guessing is
		// limited per address in memory, and hopeless against a code of 50 random bits.
		return 0, "", "", denied
	}
	if bareFollowUpCode(stored) {
		if sealed, err = db.sealFollowUpCode(stored); err != nil {
			return 0, "", "", err
		}
	}
	return id, stored, sealed, nil
}

// sealOnUse stores a bare code's sealed form (reporterReport), if there is one.
func sealOnUse(ctx context.Context, tx *Tx, id int64, stored, sealed string) error {
	if sealed == "" {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE reports SET follow_up_hash = ? WHERE id = ? AND follow_up_hash = ?`, sealed, id, stored); err != nil {
		return fmt.Errorf("seal follow-up code: %w", err)
	}
	return nil
}
