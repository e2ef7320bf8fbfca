/* SPDX-License-Identifier: Apache-2.0 */
/* Binary min-heap keyed on (t, seq). */
#include <stdlib.h>

#include "net/sim_evq.h"

static int ev_before(const struct sim_event *x, const struct sim_event *y)
{
	if (x->t != y->t)
		return x->t < y->t;
	return x->seq < y->seq;
}

void sim_evq_init(struct sim_evq *q)
{
	q->heap = NULL;
	q->n = 0;
	q->cap = 0;
	q->fixed = 0;
	q->next_seq = 0;
	q->now = 0;
}

void sim_evq_init_fixed(struct sim_evq *q, struct sim_event *buf, size_t cap)
{
	sim_evq_init(q);
	q->heap = buf;
	q->cap = cap;
	q->fixed = 1;
}

void sim_evq_free(struct sim_evq *q)
{
	if (!q->fixed)
		free(q->heap);
	sim_evq_init(q);
}

int sim_evq_push(struct sim_evq *q, sim_time_t t, int type, int a, uint32_t gen)
{
	struct sim_event ev;
	size_t i;

	if (q->n == q->cap) {
		size_t cap;
		struct sim_event *h;

		if (q->fixed)
			return -1;
		cap = q->cap ? q->cap * 2 : 64;
		h = realloc(q->heap, cap * sizeof(*h));
		if (!h)
			return -1;
		q->heap = h;
		q->cap = cap;
	}
	ev.t = t < q->now ? q->now : t;
	ev.seq = q->next_seq++;
	ev.type = type;
	ev.a = a;
	ev.gen = gen;
	i = q->n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!ev_before(&ev, &q->heap[parent]))
			break;
		q->heap[i] = q->heap[parent];
		i = parent;
	}
	q->heap[i] = ev;
	return 0;
}

int sim_evq_pop(struct sim_evq *q, struct sim_event *ev)
{
	struct sim_event last;
	size_t i = 0;

	if (q->n == 0)
		return 0;
	*ev = q->heap[0];
	last = q->heap[--q->n];
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= q->n)
			break;
		if (c + 1 < q->n && ev_before(&q->heap[c + 1], &q->heap[c]))
			c++;
		if (!ev_before(&q->heap[c], &last))
			break;
		q->heap[i] = q->heap[c];
		i = c;
	}
	if (q->n > 0)
		q->heap[i] = last;
	q->now = ev->t;
	return 1;
}

sim_time_t sim_evq_peek_time(const struct sim_evq *q)
{
	return q->n ? q->heap[0].t : -1;
}
