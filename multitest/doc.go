// Package multitest proves that several Linkline instances on one
// PostgreSQL database behave as one: its tests start two instances, each
// with its own connection pool, engine, outbox dispatcher, timer
// scheduler, leader election (store/postgres Lead) and Twilio webhook
// server on 127.0.0.1, sending through the real twilio-go client to one
// fake Twilio (channels/twilio/twiliotest), and check what people and
// link workers would see:
//
//   - one person's 200 messages, sent to the two instances in turn, are
//     each handled once, in order, and leave the same transcript, replies
//     and conversation as the same messages on one bbolt instance;
//   - every SLA timer re-alerts link workers once, with both schedulers
//     firing;
//   - two instances sending from one number together keep within its
//     rate (bot.SharedPace): the fake Twilio answers no 429;
//   - when the leader loses its database (its backends terminated with
//     pg_terminate_backend, and cut off), the other instance takes over at
//     a higher epoch, every reply is still sent, duplicates are no more
//     than the rows the old leader had in flight, and the old leader's
//     late writes are refused by its epoch;
//   - service hours saved on one instance apply on the other.
//
// The tests need PostgreSQL (LINKLINE_TEST_PG, default
// postgres://postgres@127.0.0.1:5432/test); each makes a database of its
// own (store/postgres/pgtest). Without a server they skip, or fail under
// LINKLINE_REQUIRE_PG=1. Run them with:
//
//	go test -race -count=1 ./multitest/
package multitest
