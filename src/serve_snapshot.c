/* serve_snapshot.c - what `annals serve` reads once per database state (lanes, links) and its requests share, by reference. */
#include <stdlib.h>

#include "annals/serve.h"
#include "annals/util.h"

struct serve_snapshot {
    const serve_snapshot_kind *kind;
    void *data;
    unsigned long gen;     /* the database state it was read at */
    int refs;              /* the slot's and each request's; guarded by serve_state's mu */
};

static void snapshot_free(serve_snapshot *s)
{
    s->kind->free(s->data);
    free(s);
}

/* Drop one reference; with st->mu held. True when it was the last (then free it, unlocked). */
static bool unref(serve_snapshot *s)
{
    return s && --s->refs == 0;
}

const void *serve_snapshot_take(serve_state *st, serve_snapshot_slot *slot, unsigned long gen,
                                sqlite3 *db, serve_snapshot **ref, char **err)
{
    *err = NULL;
    *ref = NULL;
    pthread_mutex_lock(&st->mu);
    while (slot->reading)
        pthread_cond_wait(&st->snapshot_read, &st->mu);
    serve_snapshot *s = slot->cur;
    if (s && s->gen >= gen) {
        s->refs++;
        pthread_mutex_unlock(&st->mu);
        *ref = s;
        return s->data;
    }
    slot->reading = true;
    pthread_mutex_unlock(&st->mu);

    serve_snapshot *fresh = malloc(sizeof(*fresh));
    void *data = NULL;
    if (!fresh) {
        *err = str_printf("out of memory");
    } else if ((data = slot->kind->read(db, err)) != NULL) {
        *fresh = (serve_snapshot){.kind = slot->kind, .data = data, .gen = gen, .refs = 2};
    } else {
        free(fresh);
        fresh = NULL;
    }

    pthread_mutex_lock(&st->mu);
    slot->reading = false;
    serve_snapshot *old = NULL;
    if (data) {
        old = slot->cur;
        slot->cur = fresh;          /* the slot's reference and the caller's */
        if (!unref(old))
            old = NULL;
    }
    pthread_cond_broadcast(&st->snapshot_read);
    pthread_mutex_unlock(&st->mu);
    if (old)
        snapshot_free(old);
    if (!data)
        return NULL;
    *ref = fresh;
    return data;
}

void serve_snapshot_release(serve_state *st, serve_snapshot *ref)
{
    if (!ref)
        return;
    pthread_mutex_lock(&st->mu);
    bool last = unref(ref);
    pthread_mutex_unlock(&st->mu);
    if (last)
        snapshot_free(ref);
}

void serve_snapshot_clear(serve_state *st, serve_snapshot_slot *slot)
{
    pthread_mutex_lock(&st->mu);
    serve_snapshot *s = slot->cur;
    slot->cur = NULL;
    bool last = unref(s);
    pthread_mutex_unlock(&st->mu);
    if (last)
        snapshot_free(s);
}
