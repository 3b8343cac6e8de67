import { expect, test } from 'vitest';
import { AnswerBudget, type AnswerTicket } from '../../mock/backpressure.js';

/** Lets `count` requests at the budget and returns the tickets of those it let in, in order. */
function arrive(budget: AnswerBudget, count: number, started: AnswerTicket[]): void {
  for (let i = 0; i < count; i++) budget.acquire((ticket) => started.push(ticket));
}

test('large answers: requests wait while the bytes in flight would pass the budget, and all get in as bytes leave', () => {
  const budget = new AnswerBudget(10_000, 32);
  const started: AnswerTicket[] = [];
  arrive(budget, 1, started);
  started[0]!.built(4_000);
  arrive(budget, 9, started);
  // 4,000 in flight, each next one expected at 4,000: one more fits (8,000), a third would not (12,000).
  expect(started).toHaveLength(2);
  expect(budget.waiting).toBe(8);
  started[1]!.built(4_000);
  started[0]!.release();
  expect(started).toHaveLength(3);
  for (let i = 1; i < started.length; i++) {
    started[i]!.built(4_000);
    started[i]!.release();
  }
  expect(started).toHaveLength(10);
  expect(budget.waiting).toBe(0);
  expect(budget.bytesInFlight).toBe(0);
});

test('one answer larger than the whole budget still goes, alone', () => {
  const budget = new AnswerBudget(1_000, 32);
  const started: AnswerTicket[] = [];
  arrive(budget, 1, started);
  started[0]!.built(5_000);
  arrive(budget, 2, started);
  expect(started).toHaveLength(1);
  started[0]!.release();
  expect(started).toHaveLength(2);
});

test('small answers: the count of answers in flight bounds them', () => {
  const budget = new AnswerBudget(1_000_000, 4);
  const started: AnswerTicket[] = [];
  arrive(budget, 10, started);
  // Nothing built yet, so nothing known of their size: one at a time until the first answer is built.
  expect(started).toHaveLength(1);
  started[0]!.built(10);
  expect(started).toHaveLength(4);
  started[0]!.release();
  started[0]!.release(); // a second release (finish and close both fire) gives nothing back twice
  expect(started).toHaveLength(5);
  expect(budget.waiting).toBe(5);
});

test('an answer given back before it was built (its client went away) frees its place', () => {
  const budget = new AnswerBudget(10_000, 32);
  const started: AnswerTicket[] = [];
  arrive(budget, 1, started);
  started[0]!.built(6_000);
  arrive(budget, 2, started);
  expect(started).toHaveLength(1);
  started[0]!.release();
  // The next one is let in; the one after it waits on the expected size of the one being built.
  expect(started).toHaveLength(2);
  started[1]!.release();
  expect(started).toHaveLength(3);
  expect(budget.bytesInFlight).toBe(0);
});
