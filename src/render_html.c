/* render_html.c - one self-contained HTML5 page: an SVG timeline on a real time axis, then the event list. */
#include "annals/render.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "annals/edtf.h"
#include "annals/util.h"

/*
 * The page is written in four passes over the cursor, so that memory stays
 * bounded by the number of lanes (actors or places), never by the number of
 * events:
 *   1. the lanes (first actor, or first place, of each event) and the finite
 *      extent of the dates (open ends ignored);
 *   2. the layout: each mark and its label are packed into the first row of
 *      their lane where they do not overlap, which gives each lane's height;
 *   3. the SVG, packing again the same way (same order, same result);
 *   4. the event list, grouped by year.
 */

#define SECS_PER_DAY INT64_C(86400)

/* Geometry of the SVG, in user units (the SVG scales to the page width). */
#define SVG_W 1200.0
#define RIGHT_PAD 28.0
#define LANE_LABEL_MIN 90.0
#define LANE_LABEL_MAX 270.0
#define AXIS_H 34.0          /* tick labels above the lanes */
#define FOOT_H 30.0          /* tick labels below the lanes */
#define ROW_H 20.0
#define LANE_PAD 5.0
#define FONT_PX 12.0
#define LANE_PX (FONT_PX * 1.1)  /* lane labels are bold: wider */
#define MARK_H 10.0
#define POINT_R 5.0
#define ROW_GAP 8.0          /* least room between two items in one row */
#define POINT_SHARE 0.005    /* spans narrower than this share of the axis are points */
#define LABEL_MAX_PX 360.0   /* mark labels longer than this are cut with an ellipsis */
#define LABEL_LIMIT 250      /* with more events, marks go without labels (tooltips stay) */
#define ARROW_W 9.0

/* Okabe-Ito and Tol colours: distinct for colour-blind readers, dark enough for print. */
static const char *const palette[] = {
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#882255", "#44aa99",
};
#define NPALETTE (sizeof palette / sizeof palette[0])
#define OTHER_COLOUR "#7f7f7f"

/* ------------------------------------------------------------------ */
/* Escaping and small text helpers                                     */
/* ------------------------------------------------------------------ */

/* Decode one UTF-8 code point at *s and advance; invalid bytes read as themselves. */
static unsigned utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    unsigned c = p[0];
    int n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    int i = 1;
    if (n) {
        c &= 0x3fu >> n;
        for (; i <= n && (p[i] & 0xc0) == 0x80; i++)
            c = (c << 6) | (p[i] & 0x3f);
    }
    *s += i;
    return c;
}

/*
 * The advance width of one code point in ems, after DejaVu Sans (the widest
 * of the usual sans-serif fonts, and the one Linux browsers fall back to), so
 * that estimates err on the wide side.
 */
static double glyph_em(unsigned c)
{
    static const double lower[26] = {
        0.613, 0.635, 0.550, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974,
        0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525,
    };
    if (c >= 'a' && c <= 'z')
        return lower[c - 'a'];
    if (c == 'I' || c == 'J')
        return 0.30;
    if (c == 'M' || c == 'W')
        return 0.92;
    if (c >= 'A' && c <= 'Z')
        return 0.72;
    if (c >= '0' && c <= '9')
        return 0.636;
    if (c < 0x80)
        return strchr(" .,:;'|!()[]`", (int)c) ? 0.33 : 0.6;
    if (c >= 0x300 && c < 0x370)
        return 0;                                   /* combining marks */
    if (c >= 0x2e80)
        return 1.0;                                 /* CJK and wider */
    return 0.66;
}

/* The estimated width of s at px pixels: the SVG has no font metrics to ask. */
static double text_width(const char *s, double px)
{
    double w = 0;
    while (s && *s)
        w += glyph_em(utf8_next(&s));
    return w * px;
}

/*
 * s shortened to about max_px (at px pixels), cut at a code point and ended
 * with an ellipsis; a new string (the caller frees) or NULL when out of memory.
 */
static char *text_fit(const char *s, double px, double max_px)
{
    if (text_width(s, px) <= max_px)
        return strdup(s);
    double w = text_width("\u2026", px);
    const char *p = s;
    while (*p) {
        const char *q = p;
        double g = glyph_em(utf8_next(&q)) * px;
        if (w + g > max_px)
            break;
        w += g;
        p = q;
    }
    while (p > s && p[-1] == ' ')
        p--;
    return str_printf("%.*s\u2026", (int)(p - s), s);
}

/* ------------------------------------------------------------------ */
/* Calendar helpers                                                    */
/* ------------------------------------------------------------------ */

static const char *const month_abbr[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/*
 * An astronomical year as a reader writes it, into buf: 2021, 44 BCE (for
 * -43), 1 CE when ce_mark, 12,500 BCE. With abbreviate (tick labels, which
 * are round numbers), millions and billions in words: 170 million BCE.
 */
static void year_words(int64_t y, bool ce_mark, bool abbreviate, char *buf, size_t size)
{
    bool bce = y <= 0;
    int64_t v = bce ? 1 - y : y;
    const char *era = bce ? " BCE" : ce_mark ? " CE" : "";
    static const struct { int64_t unit; const char *name; } big[] = {
        { INT64_C(1000000000), "billion" }, { INT64_C(1000000), "million" },
    };
    for (size_t i = 0; abbreviate && i < sizeof big / sizeof big[0]; i++) {
        int64_t u = big[i].unit;
        if (v >= u && v % (u / 10) == 0) {
            if (v % u == 0)
                snprintf(buf, size, "%" PRId64 " %s%s", v / u, big[i].name, era);
            else
                snprintf(buf, size, "%" PRId64 ".%d %s%s", v / u, (int)(v / (u / 10) % 10),
                         big[i].name, era);
            return;
        }
    }
    if (v >= 10000) {
        char digits[32], grouped[48];
        int n = snprintf(digits, sizeof digits, "%" PRId64, v), j = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && (n - i) % 3 == 0)
                grouped[j++] = ',';
            grouped[j++] = digits[i];
        }
        grouped[j] = '\0';
        snprintf(buf, size, "%s%s", grouped, era);
    } else {
        snprintf(buf, size, "%" PRId64 "%s", v, era);
    }
}

/* The date in words (edtf_humanize) into buf; a fixed buffer is enough for every form. */
static const char *human(const edtf_date *d, char *buf, size_t size)
{
    edtf_humanize(d, buf, size);
    return buf;
}

/* ------------------------------------------------------------------ */
/* Lanes                                                               */
/* ------------------------------------------------------------------ */

typedef struct {
    char *id;            /* actor or place id; NULL for the "other" lane */
    char *name;
    const char *colour;
    size_t rows;         /* rows the layout pass needed */
    double *row_end;     /* right edge of the last item of each row, while packing */
    size_t nrow_end, cap_row_end;
    double top;          /* y of the lane's band */
} lane;

typedef struct {
    lane *v;
    size_t n, cap;
    strmap index;        /* id -> lane index (keys are the lanes' own ids) */
    bool has_other;
    size_t other;        /* index of the "other" lane once added */
} lane_set;

static void lanes_free(lane_set *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        free(ls->v[i].id);
        free(ls->v[i].name);
        free(ls->v[i].row_end);
    }
    free(ls->v);
    strmap_free(&ls->index);
    memset(ls, 0, sizeof *ls);
}

/* The index of the lane with this id, or SIZE_MAX. */
static size_t lanes_find(const lane_set *ls, const char *id)
{
    const size_t *i = strmap_get(&ls->index, id, strlen(id));
    return i ? *i : SIZE_MAX;
}

/* Append a lane (id NULL: the "other" lane). Returns its index, or SIZE_MAX when out of memory. */
static size_t lanes_add(lane_set *ls, const char *id, const char *name)
{
    if (array_grow(&ls->v, &ls->cap, ls->n, sizeof *ls->v, 16) != 0)
        return SIZE_MAX;
    lane *l = &ls->v[ls->n];
    memset(l, 0, sizeof *l);
    l->id = id ? strdup(id) : NULL;
    l->name = strdup(name);
    if ((id && !l->id) || !l->name) {
        free(l->id);
        free(l->name);
        return SIZE_MAX;
    }
    l->colour = id ? palette[ls->n % NPALETTE] : OTHER_COLOUR;
    if (id && strmap_put(&ls->index, l->id, strlen(l->id), ls->n) != 0) {
        free(l->id);
        free(l->name);
        return SIZE_MAX;
    }
    return ls->n++;
}

/* The id and name an event's lane is keyed by; NULL id for the "other" lane. */
static void lane_key(const report_event *ev, bool by_region, const char **id, const char **name)
{
    *id = *name = NULL;
    if (by_region && ev->nplaces) {
        *id = ev->places[0].id;
        *name = ev->places[0].name;
    } else if (!by_region && ev->nactors) {
        *id = ev->actors[0].id;
        *name = ev->actors[0].name;
    }
}

static size_t lane_of(const lane_set *ls, const report_event *ev, bool by_region)
{
    const char *id, *name;
    lane_key(ev, by_region, &id, &name);
    size_t i = id ? lanes_find(ls, id) : SIZE_MAX;
    return i == SIZE_MAX ? ls->other : i;
}

/* ------------------------------------------------------------------ */
/* The time axis                                                       */
/* ------------------------------------------------------------------ */

typedef enum { TICK_HOUR, TICK_DAY, TICK_MONTH, TICK_YEAR } tick_unit;

typedef struct {
    tick_unit unit;
    int64_t step;
} tick_choice;

#define MAX_TICKS 64

typedef struct {
    int64_t t;
    char label[64];
} tick;

typedef struct {
    int64_t lo, hi;         /* the axis, in bound seconds; lo < hi */
    double left, width;     /* its place in the SVG */
    bool open_lo, open_hi;  /* some event runs off that edge */
    tick_choice choice;
    tick ticks[MAX_TICKS];
    size_t nticks;
} axis;

static double axis_x(const axis *ax, int64_t t)
{
    if (t <= ax->lo)
        return ax->left;
    if (t >= ax->hi)
        return ax->left + ax->width;
    return ax->left + (double)(t - ax->lo) / (double)(ax->hi - ax->lo) * ax->width;
}

static double unit_seconds(tick_choice c)
{
    static const double unit[] = { 3600.0, 86400.0, 86400.0 * 30.436875, 86400.0 * 365.2425 };
    return unit[c.unit] * (double)c.step;
}

/*
 * The label of a tick at t. long_form gives the widest form the unit uses
 * (with the year), for sizing; otherwise the year appears on the first tick
 * and where it changes.
 */
static void tick_label(const axis *ax, tick_choice c, int64_t t, bool long_form,
                       const edtf_civil *prev, char *buf, size_t size)
{
    edtf_civil v = edtf_civil_of(t);
    char y[48];
    bool mixed = edtf_civil_of(ax->lo).year <= 0 && edtf_civil_of(ax->hi).year > 0;
    year_words(v.year, mixed && v.year == 1, true, y, sizeof y);
    bool new_year = long_form || !prev || prev->year != v.year;
    switch (c.unit) {
    case TICK_HOUR:
        /* Midnight names the day; the first tick names day and hour. */
        if (long_form || !prev)
            snprintf(buf, size, "%d %s %s %02d:%02d", v.day, month_abbr[v.month - 1], y, v.hour,
                     v.minute);
        else if (v.hour == 0 && v.minute == 0)
            snprintf(buf, size, "%d %s%s%s", v.day, month_abbr[v.month - 1], new_year ? " " : "",
                     new_year ? y : "");
        else
            snprintf(buf, size, "%02d:%02d", v.hour, v.minute);
        break;
    case TICK_DAY:
        if (new_year)
            snprintf(buf, size, "%d %s %s", v.day, month_abbr[v.month - 1], y);
        else
            snprintf(buf, size, "%d %s", v.day, month_abbr[v.month - 1]);
        break;
    case TICK_MONTH:
        if (new_year)
            snprintf(buf, size, "%s %s", month_abbr[v.month - 1], y);
        else
            snprintf(buf, size, "%s", month_abbr[v.month - 1]);
        break;
    case TICK_YEAR:
        snprintf(buf, size, "%s", y);
        break;
    }
}

static void add_tick(axis *ax, int64_t t)
{
    if (t < ax->lo || t > ax->hi || ax->nticks == MAX_TICKS)
        return;
    ax->ticks[ax->nticks++].t = t;
}

static int cmp_tick(const void *a, const void *b)
{
    int64_t x = ((const tick *)a)->t, y = ((const tick *)b)->t;
    return (x > y) - (x < y);
}

/* Place the ticks of choice c on the axis (calendar-exact: months and years are not equal lengths). */
static void place_ticks(axis *ax, tick_choice c)
{
    ax->nticks = 0;
    ax->choice = c;
    edtf_civil a = edtf_civil_of(ax->lo), z = edtf_civil_of(ax->hi);
    switch (c.unit) {
    case TICK_HOUR:
    case TICK_DAY: {
        int64_t len = (c.unit == TICK_HOUR ? 3600 : SECS_PER_DAY) * c.step;
        for (int64_t t = (edtf_floor_div(ax->lo, len) + 1) * len; t <= ax->hi && ax->nticks < MAX_TICKS;
             t += len)
            add_tick(ax, t);
        break;
    }
    case TICK_MONTH: {
        int64_t y = a.year;
        int m = a.month;
        for (int guard = 0; guard < 24 * MAX_TICKS && ax->nticks < MAX_TICKS; guard++) {
            int64_t t = edtf_seconds_from_civil(y, m, 1);
            if (t > ax->hi)
                break;
            if ((m - 1) % c.step == 0)
                add_tick(ax, t);
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
        break;
    }
    case TICK_YEAR: {
        /*
         * Round years as historians count them: CE ticks at multiples of the
         * step (500, 1000), BCE ticks where the BCE year is a multiple of it
         * (500 BCE is the astronomical year -499), and 1 CE between them
         * (there is no year 0 to mark), except for steps too small to leave
         * room for it.
         */
        int64_t s = c.step;
        if (z.year >= 1)
            for (int64_t k = a.year > 0 ? a.year / s : 0; k * s <= z.year && ax->nticks < MAX_TICKS; k++)
                if (k > 0)
                    add_tick(ax, edtf_seconds_from_civil(k * s, 1, 1));
        if (a.year <= 0) {
            int64_t kmax = (1 - a.year) / s, kmin = z.year <= 0 ? (1 - z.year) / s : 1;
            if (kmin < 1)
                kmin = 1;
            for (int64_t k = kmin; k <= kmax && ax->nticks < MAX_TICKS; k++)
                add_tick(ax, edtf_seconds_from_civil(1 - k * s, 1, 1));
            if (s >= 5)
                add_tick(ax, edtf_seconds_from_civil(1, 1, 1));
        }
        break;
    }
    }
    qsort(ax->ticks, ax->nticks, sizeof ax->ticks[0], cmp_tick);
    edtf_civil prev;
    for (size_t i = 0; i < ax->nticks; i++) {
        tick_label(ax, c, ax->ticks[i].t, false, i ? &prev : NULL, ax->ticks[i].label,
                   sizeof ax->ticks[i].label);
        prev = edtf_civil_of(ax->ticks[i].t);
    }
}

/*
 * Choose the tick spacing: the finest step of hours, days, months, or
 * 1-2-5 x 10^k years (years, decades, centuries, millennia, and so on to
 * hundreds of millions of years) whose labels fit side by side.
 */
static void choose_ticks(axis *ax)
{
    static const struct { tick_unit u; int64_t s; } fine[] = {
        { TICK_HOUR, 1 }, { TICK_HOUR, 2 }, { TICK_HOUR, 3 }, { TICK_HOUR, 6 }, { TICK_HOUR, 12 },
        { TICK_DAY, 1 }, { TICK_DAY, 2 }, { TICK_DAY, 7 }, { TICK_DAY, 14 },
        { TICK_MONTH, 1 }, { TICK_MONTH, 2 }, { TICK_MONTH, 3 }, { TICK_MONTH, 6 },
    };
    double span = (double)(ax->hi - ax->lo);
    tick_choice c = { TICK_YEAR, 1 };
    size_t nfine = sizeof fine / sizeof fine[0];
    for (size_t i = 0;; i++) {
        if (i < nfine) {
            c.unit = fine[i].u;
            c.step = fine[i].s;
        } else {
            /* 1, 2, 5, 10, 20, 50, ... years */
            size_t k = i - nfine;
            int64_t p = 1;
            for (size_t j = 0; j < k / 3; j++)
                p *= 10;
            c.unit = TICK_YEAR;
            c.step = p * (k % 3 == 0 ? 1 : k % 3 == 1 ? 2 : 5);
            if (c.step >= INT64_C(1000000000000))
                break;
        }
        double px = ax->width * unit_seconds(c) / span;
        char a[64], z[64];
        tick_label(ax, c, ax->lo, true, NULL, a, sizeof a);
        tick_label(ax, c, ax->hi, true, NULL, z, sizeof z);
        double need = fmax(text_width(a, FONT_PX), text_width(z, FONT_PX)) + 12.0;
        if (px >= fmax(need, 56.0))
            break;
    }
    place_ticks(ax, c);
}

/* ------------------------------------------------------------------ */
/* Marks                                                               */
/* ------------------------------------------------------------------ */

typedef struct {
    double x0, x1;          /* the mark (bar or point centre in x0 == x1) */
    bool point;
    bool open_lo, open_hi;
    double label_x;         /* where the label text starts (or ends, if label_end) */
    bool label_end;         /* text-anchor end: the label sits left of the mark */
    bool label_over;        /* drawn over the bar, with a halo */
    double occ_l, occ_r;    /* what the mark and label occupy in their row */
    char *label;            /* the shortened title */
} mark;

/* Lay out one event's mark, and its label when labels. Returns -1 when out of memory. */
static int mark_layout(const axis *ax, const report_event *ev, bool labels, mark *m)
{
    memset(m, 0, sizeof *m);
    m->open_lo = ev->when.lower == EDTF_MIN;
    m->open_hi = ev->when.upper == EDTF_MAX;
    double right = ax->left + ax->width;
    m->x0 = m->open_lo ? ax->left : axis_x(ax, ev->when.lower);
    m->x1 = m->open_hi ? right : axis_x(ax, ev->when.upper);
    if (!m->open_lo && !m->open_hi && m->x1 - m->x0 < POINT_SHARE * ax->width) {
        m->point = true;
        m->x0 = m->x1 = (m->x0 + m->x1) / 2;
    }
    double l = m->point ? m->x0 - POINT_R : m->x0, r = m->point ? m->x0 + POINT_R : m->x1;
    if (m->open_lo)
        l -= ARROW_W;
    if (m->open_hi)
        r += ARROW_W;
    if (!labels) {
        /* Marks alone pack closer: the row gap is for labels. */
        m->occ_l = l + ROW_GAP - 2;
        m->occ_r = r;
        return 0;
    }
    m->label = text_fit(ev->title, FONT_PX, LABEL_MAX_PX);
    if (!m->label)
        return -1;
    double w = text_width(m->label, FONT_PX);
    if (r + 5 + w <= right + RIGHT_PAD - 4 && !m->open_hi) {
        m->label_x = r + 5;
        m->occ_l = l;
        m->occ_r = r + 5 + w;
    } else if (l - 5 - w >= ax->left - 4 && !m->open_lo) {
        m->label_x = l - 5;
        m->label_end = true;
        m->occ_l = l - 5 - w;
        m->occ_r = r;
    } else {
        m->label_x = m->x0 + 5;
        m->label_over = true;
        m->occ_l = l;
        m->occ_r = fmax(r, m->x0 + 5 + w);
    }
    return 0;
}

/* The first row of lane l where m fits; adds a row when none does. -1 when out of memory. */
static long lane_pack(lane *l, const mark *m)
{
    for (size_t i = 0; i < l->nrow_end; i++)
        if (l->row_end[i] + ROW_GAP <= m->occ_l) {
            l->row_end[i] = m->occ_r;
            return (long)i;
        }
    if (array_grow(&l->row_end, &l->cap_row_end, l->nrow_end, sizeof *l->row_end, 4) != 0)
        return -1;
    l->row_end[l->nrow_end] = m->occ_r;
    return (long)l->nrow_end++;
}

/* ------------------------------------------------------------------ */
/* The passes                                                          */
/* ------------------------------------------------------------------ */

typedef struct {
    query_cursor *cur;
    FILE *out;
    char **err;
    bool by_region;
    lane_set lanes;
    axis ax;
    long count;
    double height;
} html_ctx;

static char *oom(void)
{
    return strdup("out of memory");
}

static void widen(int64_t *lo, int64_t *hi, int64_t t)
{
    if (t == EDTF_MIN || t == EDTF_MAX)
        return;
    if (t < *lo)
        *lo = t;
    if (t > *hi)
        *hi = t;
}

/* Pass 1: the lanes, in order of first appearance, and the finite extent. */
static int pass_lanes(html_ctx *c, int64_t *lo, int64_t *hi)
{
    if (query_rewind(c->cur, c->err) != 0)
        return -1;
    const report_event *ev;
    int rc;
    while ((rc = query_next(c->cur, &ev, c->err)) == 1) {
        const edtf_date *d = &ev->when;
        widen(lo, hi, d->lower);
        widen(lo, hi, d->upper);
        if (d->start.kind == EDTF_END_DATE) {
            widen(lo, hi, d->start.lower);
            widen(lo, hi, d->start.upper);
        }
        if (d->is_interval && d->end.kind == EDTF_END_DATE) {
            widen(lo, hi, d->end.lower);
            widen(lo, hi, d->end.upper);
        }
        c->ax.open_lo |= d->lower == EDTF_MIN;
        c->ax.open_hi |= d->upper == EDTF_MAX;
        const char *id, *name;
        lane_key(ev, c->by_region, &id, &name);
        if (!id)
            c->lanes.has_other = true;
        else if (lanes_find(&c->lanes, id) == SIZE_MAX && lanes_add(&c->lanes, id, name) == SIZE_MAX) {
            *c->err = oom();
            return -1;
        }
    }
    if (rc < 0)
        return -1;
    c->lanes.other = SIZE_MAX;
    if (c->lanes.has_other) {
        c->lanes.other = lanes_add(&c->lanes, NULL, "other");
        if (c->lanes.other == SIZE_MAX) {
            *c->err = oom();
            return -1;
        }
    }
    return 0;
}

/* The axis: the finite extent with a margin, wider on a side where some event is open. */
static void axis_setup(html_ctx *c, int64_t lo, int64_t hi)
{
    axis *ax = &c->ax;
    double lw = 0;
    for (size_t i = 0; i < c->lanes.n; i++)
        lw = fmax(lw, text_width(c->lanes.v[i].name, LANE_PX));
    lw = fmin(fmax(lw + 22.0, LANE_LABEL_MIN), LANE_LABEL_MAX);
    ax->left = lw;
    ax->width = SVG_W - lw - RIGHT_PAD;
    if (lo > hi)                               /* only open ends: nothing finite */
        lo = hi = 0;
    double span = (double)hi - (double)lo;
    double pad = fmax(span * 0.03, 86400.0);
    int64_t plo = (int64_t)fmin(pad * (ax->open_lo ? 3.0 : 1.0), 1e17);
    int64_t phi = (int64_t)fmin(pad * (ax->open_hi ? 3.0 : 1.0), 1e17);
    ax->lo = lo - plo;
    ax->hi = hi + phi;
    choose_ticks(ax);
}

/*
 * Pass 2 and the packing of pass 3: mark and row of the next event.
 * Returns 0, 1 for an event with no lane (the data changed between passes:
 * it is left out of the chart), or -1 with *c->err when out of memory.
 */
static int layout_next(html_ctx *c, const report_event *ev, mark *m, size_t *li, long *row)
{
    *li = lane_of(&c->lanes, ev, c->by_region);
    if (*li == SIZE_MAX)
        return 1;
    if (mark_layout(&c->ax, ev, c->count <= LABEL_LIMIT, m) != 0) {
        *c->err = oom();
        return -1;
    }
    *row = lane_pack(&c->lanes.v[*li], m);
    if (*row < 0) {
        free(m->label);
        *c->err = oom();
        return -1;
    }
    return 0;
}

/* Pass 2: how many rows each lane needs; then the lanes' places and the SVG height. */
static int pass_layout(html_ctx *c)
{
    if (query_rewind(c->cur, c->err) != 0)
        return -1;
    const report_event *ev;
    int rc;
    while ((rc = query_next(c->cur, &ev, c->err)) == 1) {
        mark m;
        size_t li;
        long row;
        int r = layout_next(c, ev, &m, &li, &row);
        if (r < 0)
            return -1;
        if (r == 0)
            free(m.label);
    }
    if (rc < 0)
        return -1;
    double y = AXIS_H;
    for (size_t i = 0; i < c->lanes.n; i++) {
        lane *l = &c->lanes.v[i];
        l->rows = l->nrow_end ? l->nrow_end : 1;
        l->nrow_end = 0;                       /* pass 3 packs again from empty rows */
        l->top = y;
        y += l->rows * ROW_H + 2 * LANE_PAD;
    }
    c->height = y + FOOT_H;
    return 0;
}

static void svg_defs(FILE *out)
{
    fputs("<defs>\n", out);
    for (size_t i = 0; i <= NPALETTE; i++) {
        const char *col = i < NPALETTE ? palette[i] : OTHER_COLOUR;
        fprintf(out, "<linearGradient id=\"fade-r%zu\"><stop offset=\"0.55\" stop-color=\"%s\"/>"
                "<stop offset=\"1\" stop-color=\"%s\" stop-opacity=\"0.12\"/></linearGradient>\n",
                i, col, col);
        fprintf(out, "<linearGradient id=\"fade-l%zu\"><stop offset=\"0\" stop-color=\"%s\" "
                "stop-opacity=\"0.12\"/><stop offset=\"0.45\" stop-color=\"%s\"/></linearGradient>\n",
                i, col, col);
    }
    fputs("</defs>\n", out);
}

static size_t colour_index(const char *colour)
{
    for (size_t i = 0; i < NPALETTE; i++)
        if (palette[i] == colour)
            return i;
    return NPALETTE;
}

static void svg_axis(html_ctx *c)
{
    FILE *out = c->out;
    const axis *ax = &c->ax;
    double bottom = c->height - FOOT_H;
    fprintf(out, "<g class=\"axis\">\n");
    for (size_t i = 0; i < ax->nticks; i++) {
        double x = axis_x(ax, ax->ticks[i].t);
        fprintf(out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\">", x, AXIS_H - 6, x, bottom + 6,
                x, AXIS_H - 11);
        render_html_escape(out, ax->ticks[i].label);
        fprintf(out, "</text><text class=\"tick\" x=\"%.1f\" y=\"%.1f\">", x, bottom + 21);
        render_html_escape(out, ax->ticks[i].label);
        fputs("</text>\n", out);
    }
    fprintf(out, "<line class=\"rule\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
            ax->left, AXIS_H - 0.5, ax->left + ax->width, AXIS_H - 0.5);
    fprintf(out, "<line class=\"rule\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
            ax->left, bottom + 0.5, ax->left + ax->width, bottom + 0.5);
    fputs("</g>\n", out);
}

static void svg_lanes(html_ctx *c)
{
    FILE *out = c->out;
    fputs("<g class=\"lanes\">\n", out);
    for (size_t i = 0; i < c->lanes.n; i++) {
        const lane *l = &c->lanes.v[i];
        double h = l->rows * ROW_H + 2 * LANE_PAD;
        fprintf(out, "<rect class=\"%s\" x=\"0\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                i % 2 ? "band odd" : "band", l->top, SVG_W, h);
        char *name = text_fit(l->name, LANE_PX, c->ax.left - 16);
        fprintf(out, "<text class=\"lane\" x=\"%.1f\" y=\"%.1f\" fill=\"%s\"><title>",
                c->ax.left - 10, l->top + LANE_PAD + ROW_H / 2 + 4, l->colour);
        render_html_escape(out, l->name);
        fputs("</title>", out);
        render_html_escape(out, name ? name : l->name);
        fputs("</text>\n", out);
        free(name);
    }
    fputs("</g>\n", out);
}

static void svg_mark(html_ctx *c, const report_event *ev, const mark *m, const lane *l, long row)
{
    FILE *out = c->out;
    char date[256];
    double cy = l->top + LANE_PAD + (double)row * ROW_H + ROW_H / 2;
    bool vague = ev->when.qualifiers != 0;
    size_t ci = colour_index(l->colour);
    fputs("<a href=\"#ev-", out);
    render_html_escape(out, ev->id);
    fputs("\"><title>", out);
    render_html_escape(out, human(&ev->when, date, sizeof date));
    fputs(": ", out);
    render_html_escape(out, ev->title);
    fputs("</title>", out);
    if (m->point) {
        fprintf(out, "<circle class=\"mark%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" "
                "stroke=\"%s\"/>", vague ? " vague" : "", m->x0, cy, POINT_R, l->colour, l->colour);
    } else {
        const char *fill = m->open_hi ? "url(#fade-r" : m->open_lo ? "url(#fade-l" : NULL;
        fprintf(out, "<rect class=\"mark%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "rx=\"3\" ", vague ? " vague" : "", m->x0, cy - MARK_H / 2,
                fmax(m->x1 - m->x0, 2.0), MARK_H);
        if (fill && !(m->open_lo && m->open_hi))
            fprintf(out, "fill=\"%s%zu)\"", fill, ci);
        else
            fprintf(out, "fill=\"%s\"", l->colour);
        fprintf(out, " stroke=\"%s\"/>", l->colour);
        if (m->open_hi)
            fprintf(out, "<path class=\"open\" d=\"M%.1f %.1fl%.1f %.1fl%.1f %.1fz\" fill=\"%s\"/>",
                    m->x1, cy - MARK_H / 2 - 2, ARROW_W, MARK_H / 2 + 2, -ARROW_W, MARK_H / 2 + 2,
                    l->colour);
        if (m->open_lo)
            fprintf(out, "<path class=\"open\" d=\"M%.1f %.1fl%.1f %.1fl%.1f %.1fz\" fill=\"%s\"/>",
                    m->x0, cy - MARK_H / 2 - 2, -ARROW_W, MARK_H / 2 + 2, ARROW_W, MARK_H / 2 + 2,
                    l->colour);
    }
    if (m->label) {
        fprintf(out, "<text class=\"label%s\" x=\"%.1f\" y=\"%.1f\"%s>",
                m->label_over ? " over" : "", m->label_x, cy + 4,
                m->label_end ? " text-anchor=\"end\"" : "");
        render_html_escape(out, m->label);
        fputs("</text>", out);
    }
    fputs("</a>\n", out);
}

/* Pass 3: the SVG. */
static int pass_svg(html_ctx *c)
{
    FILE *out = c->out;
    fprintf(out, "<figure class=\"chart\">\n<svg class=\"timeline\" viewBox=\"0 0 %.0f %.0f\" "
            "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"Timeline of %ld events\">\n",
            SVG_W, c->height, SVG_W, c->height, c->count);
    svg_defs(out);
    svg_lanes(c);
    svg_axis(c);
    if (query_rewind(c->cur, c->err) != 0)
        return -1;
    fputs("<g class=\"marks\">\n", out);
    const report_event *ev;
    int rc;
    while ((rc = query_next(c->cur, &ev, c->err)) == 1) {
        mark m;
        size_t li;
        long row;
        int r = layout_next(c, ev, &m, &li, &row);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        svg_mark(c, ev, &m, &c->lanes.v[li], row);
        free(m.label);
    }
    if (rc < 0)
        return -1;
    fputs("</g>\n</svg>\n", out);
    fprintf(out, "<figcaption>Lanes: the %s of each event (\u201cother\u201d when it has none). "
            "Circles mark dates shorter than half a percent of the axis, bars spans; an arrow "
            "and a fade mark an open end; a dashed outline an uncertain or approximate date. "
            "Each mark links to its event below%s.</figcaption>\n</figure>\n",
            c->by_region ? "first place" : "first actor",
            c->count <= LABEL_LIMIT ? "" : "; with this many events the marks go without "
            "labels: point at one for its date and title");
    return 0;
}

/* ------------------------------------------------------------------ */
/* The event list                                                      */
/* ------------------------------------------------------------------ */


static void list_event(FILE *out, const report_event *ev)
{
    char date[256];
    fputs("<article class=\"event\" id=\"ev-", out);
    render_html_escape(out, ev->id);
    fputs("\">\n<h3><span class=\"date\">", out);
    render_html_escape(out, human(&ev->when, date, sizeof date));
    fputs("</span> ", out);
    render_html_escape(out, ev->title);
    fputs("</h3>\n", out);
    if (ev->type || ev->part_of) {
        fputs("<p class=\"kind\">", out);
        if (ev->type) {
            fputs("<span class=\"type\">", out);
            render_html_escape(out, ev->type);
            fputs("</span>", out);
        }
        if (ev->part_of) {
            fputs(ev->type ? " \u00b7 part of <a href=\"#ev-" : "part of <a href=\"#ev-", out);
            render_html_escape(out, ev->part_of);
            fputs("\">", out);
            render_html_escape(out, ev->part_of);
            fputs("</a>", out);
        }
        fputs("</p>\n", out);
    }
    if (ev->summary) {
        fputs("<p class=\"summary\">", out);
        render_html_escape(out, ev->summary);
        fputs("</p>\n", out);
    }
    if (ev->nactors || ev->nplaces || ev->ntags || ev->nfigures)
        fputs("<dl>\n", out);
    if (ev->nactors) {
        fputs("<dt>Actors</dt><dd>", out);
        for (size_t i = 0; i < ev->nactors; i++) {
            if (i)
                fputs(", ", out);
            /* <bdi>: a right-to-left name keeps its role and commas where they belong. */
            fputs("<bdi>", out);
            render_html_escape(out, ev->actors[i].name);
            fputs("</bdi>", out);
            if (ev->actors[i].role) {
                fputs(" <span class=\"role\">(", out);
                render_html_escape(out, ev->actors[i].role);
                fputs(")</span>", out);
            }
        }
        fputs("</dd>\n", out);
    }
    if (ev->nplaces) {
        fputs("<dt>Places</dt><dd>", out);
        for (size_t i = 0; i < ev->nplaces; i++) {
            if (i)
                fputs(", ", out);
            fputs("<bdi>", out);
            render_html_escape(out, ev->places[i].name);
            fputs("</bdi>", out);
        }
        fputs("</dd>\n", out);
    }
    if (ev->ntags) {
        fputs("<dt>Tags</dt><dd>", out);
        for (size_t i = 0; i < ev->ntags; i++) {
            fputs("<span class=\"tag\">", out);
            render_html_escape(out, ev->tags[i]);
            fputs("</span> ", out);
        }
        fputs("</dd>\n", out);
    }
    if (ev->nfigures) {
        fputs("<dt>Figures</dt><dd>", out);
        for (size_t i = 0; i < ev->nfigures; i++) {
            const report_figure *f = &ev->figures[i];
            if (i)
                fputs("; ", out);
            char num[RENDER_FIGURE_MAX];
            render_figure(f, num, sizeof(num));
            render_html_escape(out, f->name);
            fputs(": ", out);
            fputs(num, out);
            if (f->unit) {
                fputc(' ', out);
                render_html_escape(out, f->unit);
            }
        }
        fputs("</dd>\n", out);
    }
    if (ev->nactors || ev->nplaces || ev->ntags || ev->nfigures)
        fputs("</dl>\n", out);
    if (ev->nsources) {
        fputs("<ol class=\"sources\">\n", out);
        for (size_t i = 0; i < ev->nsources; i++) {
            const report_source *s = &ev->sources[i];
            fputs("<li>", out);
            render_html_citation(out, s);
            if (s->quote) {
                fputs("\n<blockquote>", out);
                render_html_escape(out, s->quote);
                fputs("</blockquote>", out);
            }
            fputs("</li>\n", out);
        }
        fputs("</ol>\n", out);
    }
    if (ev->notes && *ev->notes) {
        fputs("<p class=\"notes\">", out);
        render_html_escape(out, ev->notes);
        fputs("</p>\n", out);
    }
    fputs("</article>\n", out);
}

/* Pass 4: the events, grouped by the year they start in (render_year_heading, as every format). */
static int pass_list(html_ctx *c)
{
    FILE *out = c->out;
    if (query_rewind(c->cur, c->err) != 0)
        return -1;
    fputs("<main class=\"events\">\n", out);
    const report_event *ev;
    int rc;
    char prev[64] = "";
    while ((rc = query_next(c->cur, &ev, c->err)) == 1) {
        char heading[64];
        render_year_heading(ev->when.lower, heading, sizeof heading);
        if (strcmp(heading, prev) != 0) {
            if (*prev)
                fputs("</section>\n", out);
            fputs("<section class=\"year\">\n<h2>", out);
            render_html_escape(out, heading);
            fputs("</h2>\n", out);
            memcpy(prev, heading, sizeof prev);
        }
        list_event(out, ev);
    }
    if (rc < 0)
        return -1;
    if (*prev)
        fputs("</section>\n", out);
    fputs("</main>\n", out);
    return 0;
}

/* A closing list: its section starts before its first item, so an empty one writes nothing. */
typedef struct {
    FILE *out;
    const char *heading;
    bool started;
} closing_list;

/* One actor, place or source of the closing lists. */
static void list_record(void *ctx, const report_record *r)
{
    closing_list *l = ctx;
    FILE *out = l->out;
    if (!l->started)
        fprintf(out, "<section class=\"records\">\n<h2>%s</h2>\n<dl>\n", l->heading);
    l->started = true;
    fputs("<dt>", out);
    if (r->source.title) {
        render_html_citation(out, &r->source);
    } else {
        fputs("<bdi>", out);
        render_html_escape(out, r->name);
        fputs("</bdi>", out);
    }
    if (r->kind || r->has_coords) {
        fputs(" <span class=\"role\">(", out);
        if (r->kind)
            render_html_escape(out, r->kind);
        if (r->has_coords) {
            fputs(r->kind ? ", " : "", out);
            char la[40], lo[40];
            render_number(r->lat, la, sizeof la);
            render_number(r->lon, lo, sizeof lo);
            fprintf(out, "%s, %s", la, lo);
        }
        fputs(")</span>", out);
    }
    fputs("</dt>", out);
    if (r->description) {
        fputs("<dd>", out);
        render_html_escape(out, r->description);
        fputs("</dd>", out);
    }
    fputc('\n', out);
}

/* Pass 5: every actor, place and source the events name, with what the event list leaves out. */
static int pass_records(html_ctx *c)
{
    static const struct { query_linked_kind kind; const char *heading; } lists[] = {
        {QUERY_LINKED_ACTORS, "Actors"}, {QUERY_LINKED_PLACES, "Places"},
        {QUERY_LINKED_SOURCES, "Sources"}};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        closing_list l = {c->out, lists[i].heading, false};
        if (query_linked(c->cur, lists[i].kind, list_record, &l, c->err) != 0)
            return -1;
        if (l.started)
            fputs("</dl>\n</section>\n", c->out);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The page                                                            */
/* ------------------------------------------------------------------ */

static const char page_css[] =
    ":root{color-scheme:light;--ink:#1d2125;--muted:#5b636b;--rule:#d9dde1}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:1240px;padding:24px 20px 48px;color:var(--ink);background:#fff;"
    "font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\","
    "\"Liberation Sans\",Arial,sans-serif}\n"
    "header h1{font-size:1.8em;margin:0 0 .1em;line-height:1.2}\n"
    "header p{margin:0 0 1em;color:var(--muted)}\n"
    "figure.chart{margin:0 0 2em;padding:0}\n"
    "svg.timeline{display:block;width:100%;height:auto;font-family:inherit}\n"
    "svg .band{fill:#fff}svg .band.odd{fill:#f3f5f7}\n"
    "svg .grid{stroke:#e2e5e9;stroke-width:1}\n"
    "svg .rule{stroke:#8a929a;stroke-width:1}\n"
    "svg .tick{font-size:12px;fill:#3b4248;text-anchor:middle}\n"
    "svg .lane{font-size:12px;font-weight:600;text-anchor:end}\n"
    "svg .label{font-size:12px;fill:#262b30}\n"
    "svg .label.over{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\n"
    "svg .mark{stroke-width:1.2}\n"
    "svg .mark.vague{fill-opacity:.45;stroke-dasharray:3 2;stroke-width:1.5}\n"
    "svg a:hover .mark,svg a:focus .mark{stroke:#000;stroke-width:2}\n"
    "svg a:hover .label{text-decoration:underline}\n"
    "figcaption{font-size:.85em;color:var(--muted);margin-top:.4em}\n"
    "section.year h2{font-size:1.35em;margin:1.4em 0 .4em;padding-bottom:.15em;"
    "border-bottom:2px solid var(--rule)}\n"
    "section.year h2::first-letter{text-transform:uppercase}\n"
    "article.event{margin:0 0 1.1em;padding:.2em 0 .6em .9em;border-left:3px solid var(--rule)}\n"
    "article.event:target{border-left-color:#0072b2;background:#f2f8fc}\n"
    "article.event h3{font-size:1.05em;margin:0 0 .2em}\n"
    "article.event h3 .date{display:block;font-weight:600;color:var(--muted);font-size:.9em}\n"
    ".kind{margin:0 0 .3em;font-size:.9em;color:var(--muted)}\n"
    ".type{font-variant:small-caps;letter-spacing:.03em}\n"
    ".summary{margin:.2em 0 .4em}\n"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em .8em;margin:.3em 0;font-size:.92em}\n"
    "dt{color:var(--muted)}dd{margin:0}\n"
    ".role{color:var(--muted)}\n"
    ".notes{margin:.3em 0 0;font-size:.9em;color:#363c42}\n"
    "section.records h2{font-size:1.35em;margin:1.4em 0 .4em;padding-bottom:.15em;"
    "border-bottom:2px solid var(--rule)}\n"
    "section.records dl{display:block;font-size:.92em}\n"
    "section.records dt{color:var(--ink);font-weight:600;margin-top:.5em}\n"
    "section.records dd{margin:0 0 0 1.2em}\n"
    ".tag{display:inline-block;padding:0 .45em;border:1px solid var(--rule);border-radius:.7em;"
    "font-size:.9em;margin:0 .2em .15em 0}\n"
    "ol.sources{margin:.4em 0 0;padding-left:1.4em;font-size:.9em}\n"
    "ol.sources li{margin:0 0 .3em}\n"
    "blockquote{margin:.25em 0 .2em;padding:.1em .8em;border-left:3px solid #c4cad0;color:#363c42;"
    "font-style:italic}\n"
    "a{color:#005a8c}\n"
    "footer{margin-top:2.5em;font-size:.8em;color:var(--muted)}\n"
    "@media print{\n"
    "@page{margin:14mm}\n"
    "body{max-width:none;padding:0;font-size:10.5pt;color:#000;background:#fff}\n"
    "svg.timeline{width:100%;max-width:100%;height:auto}\n"
    "figure.chart{break-inside:avoid;page-break-inside:avoid}\n"
    "svg .band.odd{fill:#f6f6f6}\n"
    "article.event{break-inside:avoid;page-break-inside:avoid;background:none}\n"
    "section.year h2{break-after:avoid;page-break-after:avoid}\n"
    "a{color:#000;text-decoration:none}\n"
    "a.url{text-decoration:underline}\n"
    "}\n";

int render_html(query_cursor *cur, const render_options *opts, char **err)
{
    *err = NULL;
    html_ctx c;
    memset(&c, 0, sizeof c);
    c.cur = cur;
    c.out = opts->out;
    c.err = err;
    if (opts->lanes && strcmp(opts->lanes, "region") != 0 && strcmp(opts->lanes, "actor") != 0) {
        *err = str_printf("unknown lanes '%s' (expected 'actor' or 'region')", opts->lanes);
        return -1;
    }
    c.by_region = opts->lanes && strcmp(opts->lanes, "region") == 0;
    const char *title = opts->title ? opts->title : "Timeline";

    int64_t xlo, xhi;
    if (query_extent(cur, &xlo, &xhi, &c.count, err) != 0)
        return -1;
    /* Open ends are ignored; pass 1 finds the finite extent they leave. */
    int64_t lo = xlo == EDTF_MIN ? INT64_MAX : xlo, hi = xhi == EDTF_MAX ? INT64_MIN : xhi;
    int rc = -1;
    if (c.count > 0 && pass_lanes(&c, &lo, &hi) != 0)
        goto done;

    FILE *out = c.out;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"annals " ANNALS_VERSION "\">\n<title>", out);
    render_html_escape(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", page_css);
    render_html_escape(out, title);
    fputs("</h1>\n<p>", out);
    if (c.count > 0) {
        char a[64], z[64];
        year_words(edtf_civil_of(lo <= hi ? lo : 0).year, false, false, a, sizeof a);
        year_words(edtf_civil_of(lo <= hi ? hi : 0).year, false, false, z, sizeof z);
        fprintf(out, "%ld event%s", c.count, c.count == 1 ? "" : "s");
        if (lo <= hi) {
            fputs(", ", out);
            if (c.ax.open_lo)
                fputs("\u2026 ", out);
            render_html_escape(out, a);
            if (strcmp(a, z) != 0 || c.ax.open_hi) {
                fputs(" \u2013 ", out);
                render_html_escape(out, z);
            }
            if (c.ax.open_hi)
                fputs(" \u2026", out);
        }
    } else {
        fputs("No events.", out);
    }
    fputs("</p>\n</header>\n", out);

    if (c.count > 0) {
        axis_setup(&c, lo, hi);
        if (pass_layout(&c) != 0 || pass_svg(&c) != 0 || pass_list(&c) != 0 ||
            pass_records(&c) != 0)
            goto done;
    }
    fputs("<footer>Made with annals " ANNALS_VERSION ".</footer>\n</body>\n</html>\n", out);
    rc = 0;
done:
    lanes_free(&c.lanes);
    return rc;
}
