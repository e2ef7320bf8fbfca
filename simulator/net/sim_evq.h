/* SPDX-License-Identifier: Apache-2.0 */
/*! \file sim_evq.h
 *  Virtual time for the simulated world: a priority queue of events ordered
 *  by (time, sequence). Nothing sleeps; two events due at the same second
 *  come out in the order they were queued, so a run is deterministic.
 *  Cancelling is done by the owner through generation counters carried in
 *  the event (a stale event is popped and ignored).
 */
#ifndef MIMSI_SIM_EVQ_H
#define MIMSI_SIM_EVQ_H

#include <stddef.h>
#include <stdint.h>

/*! Virtual time in seconds since the start of a journey. */
typedef int64_t sim_time_t;

struct sim_event {
	sim_time_t t;
	uint64_t seq; /*!< queue order among events of the same time */
	int type;     /*!< owner-defined */
	int a;	      /*!< owner-defined arguments */
	uint32_t gen;
};

struct sim_evq {
	struct sim_event *heap;
	size_t n, cap;
	int fixed; /*!< the heap is the caller's storage: never grown or freed */
	uint64_t next_seq;
	sim_time_t now; /*!< time of the last event popped */
};

void sim_evq_init(struct sim_evq *q);
/*! A queue in the caller's storage of \a cap events: it never allocates,
 *  a push beyond \a cap fails. */
void sim_evq_init_fixed(struct sim_evq *q, struct sim_event *buf, size_t cap);
void sim_evq_free(struct sim_evq *q);
/*! Queue an event at time \a t (clamped to now). \returns 0 or -1 (no memory,
 *  or a fixed queue full). */
int sim_evq_push(struct sim_evq *q, sim_time_t t, int type, int a, uint32_t gen);
/*! Pop the earliest event into \a ev and advance now. \returns 1, or 0 if empty. */
int sim_evq_pop(struct sim_evq *q, struct sim_event *ev);
/*! \returns the time of the earliest event, or -1 if empty. */
sim_time_t sim_evq_peek_time(const struct sim_evq *q);

#endif /* MIMSI_SIM_EVQ_H */
