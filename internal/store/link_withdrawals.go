package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// Exact links are found afresh on every read, so a corrected or removed identifier
// stops linking at once. The other cases that held the identifier are told it went
// (link_withdrawals), so that an agency that saw the link sees it withdrawn rather
// than gone without a word. The identifier is kept only as a keyed hash: enough to
// recognise it on the other case, not to recover it.

// linkKeyHash is the keyed hash of an identifier, under the database's pseudonym secret.
func linkKeyHash(secret []byte, kind tropic.LinkKind, key string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(string(kind) + "\x00" + key))
	return hex.EncodeToString(m.Sum(nil))
}

// withdrawLinks records, for every other case holding an identifier case caseID held
// before a change and holds no more, that its link to caseID was withdrawn (why).
func withdrawLinks(ctx context.Context, tx *Tx, caseID int64, before, after identifiers, why string) error {
	held := map[string]bool{}
	for _, id := range after {
		held[string(id.kind)+"\x00"+id.key] = true
	}
	var secret []byte
	for _, id := range before {
		if held[string(id.kind)+"\x00"+id.key] {
			continue
		}
		others, err := queryIDs(ctx, tx, matchQueries[id.kind].cases+` LIMIT ?`, append(matchArgs(id), maxLinksPerIdentifier)...)
		if err != nil {
			return fmt.Errorf("find links to withdraw: %w", err)
		}
		for _, other := range others {
			if other == caseID {
				continue
			}
			if secret == nil {
				if secret, err = pseudonymKey(ctx, tx); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO link_withdrawals (case_id, from_case_id, kind, key_hash, reason, withdrawn_at) VALUES (?, ?, ?, ?, ?, ?)`,
				other, caseID, string(id.kind), linkKeyHash(secret, id.kind, id.key), why, tx.now); err != nil {
				return fmt.Errorf("withdraw link: %w", err)
			}
		}
	}
	return nil
}

// withdrawnLinks are the links of case caseID (holding ids) withdrawn within
// tropic.LinkWithdrawnShownFor, told as the actor may see the other case: those whose
// identifier the case still holds and that have not been made again since.
func (s *LinkService) withdrawnLinks(ctx context.Context, tx *Tx, actor tropic.Actor, caseID int64, ids identifiers) ([]tropic.Link, error) {
	rows, err := tx.Query(ctx, `SELECT from_case_id, kind, key_hash, reason, withdrawn_at FROM link_withdrawals
		WHERE case_id = ? AND withdrawn_at >= ? ORDER BY withdrawn_at DESC, id DESC`, caseID, tx.now.Add(-tropic.LinkWithdrawnShownFor))
	if err != nil {
		return nil, fmt.Errorf("read withdrawn links: %w", err)
	}
	type withdrawal struct {
		from      int64
		kind, why string
		hash      string
		at        time.Time
	}
	var found []withdrawal
	for rows.Next() {
		var w withdrawal
		if err := rows.Scan(&w.from, &w.kind, &w.hash, &w.why, &w.at); err != nil {
			rows.Close()
			return nil, err
		}
		found = append(found, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(found) == 0 {
		return nil, err
	}
	secret, err := pseudonymKey(ctx, tx)
	if err != nil {
		return nil, err
	}
	byHash := map[string]identifier{}
	for _, id := range ids {
		byHash[linkKeyHash(secret, id.kind, id.key)] = id
	}
	var out []tropic.Link
	told := map[string]bool{}
	for _, w := range found {
		id, ok := byHash[w.hash]
		key := fmt.Sprintf("%d\x00%s", w.from, w.hash)
		if !ok || string(id.kind) != w.kind || told[key] {
			continue
		}
		told[key] = true
		now, err := queryIDs(ctx, tx, matchQueries[id.kind].cases+` LIMIT ?`, append(matchArgs(id), maxLinksPerIdentifier)...)
		if err != nil {
			return nil, err
		}
		again := false
		for _, c := range now {
			again = again || c == w.from
		}
		if again {
			continue
		}
		l, err := s.tellCase(ctx, tx, actor, w.from)
		if err != nil {
			return nil, err
		}
		l.Kind, l.Value, l.Withdrawn, l.WithdrawnAt, l.WithdrawnWhy = id.kind, id.typed, true, w.at.UTC(), w.why
		out = append(out, *l)
	}
	return out, nil
}
