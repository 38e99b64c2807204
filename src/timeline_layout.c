/* timeline_layout.c - the layout of a visual timeline: the axis and its ticks, lanes, marks packed into rows. */
#include "annals/timeline_layout.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annals/edtf.h"

#define SECS_PER_DAY INT64_C(86400)

#define LANE_LABEL_MIN 90.0
#define LANE_LABEL_MAX 270.0
#define FONT_PX 12.0
#define LANE_PX (FONT_PX * 1.1)  /* lane labels are bold: wider */
#define ROW_GAP 8.0          /* least room between two items in one row */
#define POINT_SHARE 0.005    /* spans narrower than this share of the axis are points */
#define LABEL_MAX_PX 360.0   /* mark labels longer than this are cut with an ellipsis */

static const char *const colours[TIMELINE_NCOLOURS + 1] = {
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#882255", "#44aa99",
    "#7f7f7f",   /* the "other" lane */
};

const char *timeline_colour(size_t i)
{
    return colours[i < TIMELINE_NCOLOURS ? i : TIMELINE_NCOLOURS];
}

/* ---- Text widths ------------------------------------------------------------ */

/*
 * The code point at *s (n bytes left) and past it; a byte that starts no
 * valid UTF-8 character reads as itself.
 */
static uint32_t next_char(const char **s, size_t *n)
{
    uint32_t c;
    size_t k = utf8_decode((const unsigned char *)*s, *n, &c);
    if (k == 0) {
        c = (unsigned char)**s;
        k = 1;
    }
    *s += k;
    *n -= k;
    return c;
}

/*
 * The advance width of one code point in ems, after DejaVu Sans (the widest
 * of the usual sans-serif fonts, and the one Linux browsers fall back to), so
 * that estimates err on the wide side.
 */
static double glyph_em(uint32_t c)
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
    size_t n = s ? strlen(s) : 0;
    while (n)
        w += glyph_em(next_char(&s, &n));
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
    size_t n = strlen(s);
    while (n) {
        const char *q = p;
        double g = glyph_em(next_char(&q, &n)) * px;
        if (w + g > max_px)
            break;
        w += g;
        p = q;
    }
    while (p > s && p[-1] == ' ')
        p--;
    return str_printf("%.*s\u2026", (int)(p - s), s);
}

/* ---- Years and tick labels ---------------------------------------------------- */

static const char *const month_abbr[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

void timeline_year_words(int64_t y, bool ce_mark, bool abbreviate, char *buf, size_t size)
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

/* ---- The time axis -------------------------------------------------------------- */

double timeline_x(const timeline_axis *ax, int64_t t)
{
    if (t <= ax->lo)
        return ax->left;
    if (t >= ax->hi)
        return ax->left + ax->width;
    return ax->left + (double)(t - ax->lo) / (double)(ax->hi - ax->lo) * ax->width;
}

static double step_seconds(timeline_step c)
{
    static const double unit[] = { 3600.0, 86400.0, 86400.0 * 30.436875, 86400.0 * 365.2425 };
    return unit[c.unit] * (double)c.step;
}

/*
 * The label of a tick at t. long_form gives the widest form the unit uses
 * (with the year), for sizing; otherwise the year appears on the first tick
 * and where it changes.
 */
static void tick_label(const timeline_axis *ax, timeline_step c, int64_t t, bool long_form,
                       const edtf_civil *prev, char *buf, size_t size)
{
    edtf_civil v = edtf_civil_of(t);
    char y[48];
    bool mixed = edtf_civil_of(ax->lo).year <= 0 && edtf_civil_of(ax->hi).year > 0;
    timeline_year_words(v.year, mixed && v.year == 1, true, y, sizeof y);
    bool new_year = long_form || !prev || prev->year != v.year;
    switch (c.unit) {
    case TIMELINE_HOUR:
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
    case TIMELINE_DAY:
        if (new_year)
            snprintf(buf, size, "%d %s %s", v.day, month_abbr[v.month - 1], y);
        else
            snprintf(buf, size, "%d %s", v.day, month_abbr[v.month - 1]);
        break;
    case TIMELINE_MONTH:
        if (new_year)
            snprintf(buf, size, "%s %s", month_abbr[v.month - 1], y);
        else
            snprintf(buf, size, "%s", month_abbr[v.month - 1]);
        break;
    case TIMELINE_YEAR:
        snprintf(buf, size, "%s", y);
        break;
    }
}

static void add_tick(timeline_axis *ax, int64_t t)
{
    if (t < ax->lo || t > ax->hi || ax->nticks == TIMELINE_MAX_TICKS)
        return;
    ax->ticks[ax->nticks++].t = t;
}

static int cmp_tick(const void *a, const void *b)
{
    int64_t x = ((const timeline_tick *)a)->t, y = ((const timeline_tick *)b)->t;
    return (x > y) - (x < y);
}

/* Place the ticks of step c on the axis (calendar-exact: months and years are not equal lengths). */
static void place_ticks(timeline_axis *ax, timeline_step c)
{
    ax->nticks = 0;
    ax->step = c;
    edtf_civil a = edtf_civil_of(ax->lo), z = edtf_civil_of(ax->hi);
    switch (c.unit) {
    case TIMELINE_HOUR:
    case TIMELINE_DAY: {
        int64_t len = (c.unit == TIMELINE_HOUR ? 3600 : SECS_PER_DAY) * c.step;
        for (int64_t t = (edtf_floor_div(ax->lo, len) + 1) * len;
             t <= ax->hi && ax->nticks < TIMELINE_MAX_TICKS; t += len)
            add_tick(ax, t);
        break;
    }
    case TIMELINE_MONTH: {
        int64_t y = a.year;
        int m = a.month;
        for (int guard = 0; guard < 24 * TIMELINE_MAX_TICKS && ax->nticks < TIMELINE_MAX_TICKS;
             guard++) {
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
    case TIMELINE_YEAR: {
        /*
         * Round years as historians count them: CE ticks at multiples of the
         * step (500, 1000), BCE ticks where the BCE year is a multiple of it
         * (500 BCE is the astronomical year -499), and 1 CE between them
         * (there is no year 0 to mark), except for steps too small to leave
         * room for it.
         */
        int64_t s = c.step;
        if (z.year >= 1)
            for (int64_t k = a.year > 0 ? a.year / s : 0;
                 k * s <= z.year && ax->nticks < TIMELINE_MAX_TICKS; k++)
                if (k > 0)
                    add_tick(ax, edtf_seconds_from_civil(k * s, 1, 1));
        if (a.year <= 0) {
            int64_t kmax = (1 - a.year) / s, kmin = z.year <= 0 ? (1 - z.year) / s : 1;
            if (kmin < 1)
                kmin = 1;
            for (int64_t k = kmin; k <= kmax && ax->nticks < TIMELINE_MAX_TICKS; k++)
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
        timeline_tick *k = &ax->ticks[i];
        k->x = timeline_x(ax, k->t);
        tick_label(ax, c, k->t, false, i ? &prev : NULL, k->label, sizeof k->label);
        prev = edtf_civil_of(k->t);
    }
}

void timeline_axis_set(timeline_axis *ax, int64_t lo, int64_t hi, double left, double width)
{
    static const timeline_step fine[] = {
        { TIMELINE_HOUR, 1 }, { TIMELINE_HOUR, 2 }, { TIMELINE_HOUR, 3 }, { TIMELINE_HOUR, 6 },
        { TIMELINE_HOUR, 12 }, { TIMELINE_DAY, 1 }, { TIMELINE_DAY, 2 }, { TIMELINE_DAY, 7 },
        { TIMELINE_DAY, 14 }, { TIMELINE_MONTH, 1 }, { TIMELINE_MONTH, 2 },
        { TIMELINE_MONTH, 3 }, { TIMELINE_MONTH, 6 },
    };
    ax->lo = lo;
    ax->hi = hi;
    ax->left = left;
    ax->width = width;
    double span = (double)(hi - lo);
    timeline_step c = { TIMELINE_YEAR, 1 };
    size_t nfine = sizeof fine / sizeof fine[0];
    for (size_t i = 0;; i++) {
        if (i < nfine) {
            c = fine[i];
        } else {
            /* 1, 2, 5, 10, 20, 50, ... years */
            size_t k = i - nfine;
            int64_t p = 1;
            for (size_t j = 0; j < k / 3; j++)
                p *= 10;
            c.unit = TIMELINE_YEAR;
            c.step = p * (k % 3 == 0 ? 1 : k % 3 == 1 ? 2 : 5);
            if (c.step >= INT64_C(1000000000000))
                break;
        }
        double px = width * step_seconds(c) / span;
        char a[64], z[64];
        tick_label(ax, c, lo, true, NULL, a, sizeof a);
        tick_label(ax, c, hi, true, NULL, z, sizeof z);
        double need = fmax(text_width(a, FONT_PX), text_width(z, FONT_PX)) + 12.0;
        if (px >= fmax(need, 56.0))
            break;
    }
    place_ticks(ax, c);
}

/* ---- Lanes ---------------------------------------------------------------------- */

void timeline_init(timeline_layout *tl, bool by_region, long count, int64_t lo, int64_t hi)
{
    memset(tl, 0, sizeof *tl);
    tl->by_region = by_region;
    tl->labels = count <= TIMELINE_LABEL_LIMIT;
    tl->other = SIZE_MAX;
    tl->lo = INT64_MAX;
    tl->hi = INT64_MIN;
    edtf_widen(&tl->lo, &tl->hi, lo);
    edtf_widen(&tl->lo, &tl->hi, hi);
}

void timeline_free(timeline_layout *tl)
{
    for (size_t i = 0; i < tl->nlanes; i++) {
        free(tl->lanes[i].id);
        free(tl->lanes[i].name);
        free(tl->lanes[i].label);
        free(tl->lanes[i].row_end);
    }
    free(tl->lanes);
    strmap_free(&tl->index);
    memset(tl, 0, sizeof *tl);
    tl->other = SIZE_MAX;
}

/* The index of the lane with this id, or SIZE_MAX. */
static size_t lane_find(const timeline_layout *tl, const char *id)
{
    const size_t *i = strmap_get(&tl->index, id, strlen(id));
    return i ? *i : SIZE_MAX;
}

/* Append a lane (id NULL: the "other" lane). Returns its index, or SIZE_MAX when out of memory. */
static size_t lane_add(timeline_layout *tl, const char *id, const char *name)
{
    if (array_grow(&tl->lanes, &tl->cap_lanes, tl->nlanes, sizeof *tl->lanes, 16) != 0)
        return SIZE_MAX;
    timeline_lane *l = &tl->lanes[tl->nlanes];
    memset(l, 0, sizeof *l);
    l->id = id ? strdup(id) : NULL;
    l->name = strdup(name);
    if ((id && !l->id) || !l->name ||
        (id && strmap_put(&tl->index, l->id, strlen(l->id), tl->nlanes) != 0)) {
        free(l->id);
        free(l->name);
        return SIZE_MAX;
    }
    l->colour = id ? tl->nlanes % TIMELINE_NCOLOURS : TIMELINE_NCOLOURS;
    return tl->nlanes++;
}

/* The id and name an event's lane is keyed by; NULL id for the "other" lane. */
static void lane_key(const timeline_layout *tl, const report_event *ev, const char **id,
                     const char **name)
{
    *id = *name = NULL;
    if (tl->by_region && ev->nplaces) {
        *id = ev->places[0].id;
        *name = ev->places[0].name;
    } else if (!tl->by_region && ev->nactors) {
        *id = ev->actors[0].id;
        *name = ev->actors[0].name;
    }
}

int timeline_add(timeline_layout *tl, const report_event *ev)
{
    const edtf_date *d = &ev->when;
    edtf_widen(&tl->lo, &tl->hi, d->lower);
    edtf_widen(&tl->lo, &tl->hi, d->upper);
    if (d->start.kind == EDTF_END_DATE) {
        edtf_widen(&tl->lo, &tl->hi, d->start.lower);
        edtf_widen(&tl->lo, &tl->hi, d->start.upper);
    }
    if (d->is_interval && d->end.kind == EDTF_END_DATE) {
        edtf_widen(&tl->lo, &tl->hi, d->end.lower);
        edtf_widen(&tl->lo, &tl->hi, d->end.upper);
    }
    tl->axis.open_lo |= d->lower == EDTF_MIN;
    tl->axis.open_hi |= d->upper == EDTF_MAX;
    const char *id, *name;
    lane_key(tl, ev, &id, &name);
    if (!id)
        tl->has_other = true;
    else if (lane_find(tl, id) == SIZE_MAX && lane_add(tl, id, name) == SIZE_MAX)
        return -1;
    return 0;
}

int timeline_scale(timeline_layout *tl)
{
    if (tl->has_other && tl->other == SIZE_MAX) {
        tl->other = lane_add(tl, NULL, "other");
        if (tl->other == SIZE_MAX)
            return -1;
    }
    double lw = 0;
    for (size_t i = 0; i < tl->nlanes; i++)
        lw = fmax(lw, text_width(tl->lanes[i].name, LANE_PX));
    lw = fmin(fmax(lw + 22.0, LANE_LABEL_MIN), LANE_LABEL_MAX);
    for (size_t i = 0; i < tl->nlanes; i++) {
        timeline_lane *l = &tl->lanes[i];
        free(l->label);
        l->label = text_fit(l->name, LANE_PX, lw - 16);
        if (!l->label)
            return -1;
    }
    int64_t lo = tl->lo, hi = tl->hi;
    if (lo > hi)                               /* only open ends: nothing finite */
        lo = hi = 0;
    double span = (double)hi - (double)lo;
    double pad = fmax(span * 0.03, 86400.0);
    int64_t plo = (int64_t)fmin(pad * (tl->axis.open_lo ? 3.0 : 1.0), 1e17);
    int64_t phi = (int64_t)fmin(pad * (tl->axis.open_hi ? 3.0 : 1.0), 1e17);
    timeline_axis_set(&tl->axis, lo - plo, hi + phi, lw, TIMELINE_W - lw - TIMELINE_RIGHT_PAD);
    return 0;
}

/* ---- Marks and rows ------------------------------------------------------------ */

/* Lay out one event's mark, and its label when labels. Returns -1 when out of memory. */
static int mark_layout(const timeline_axis *ax, const report_event *ev, bool labels,
                       timeline_mark *m)
{
    memset(m, 0, sizeof *m);
    m->open_lo = ev->when.lower == EDTF_MIN;
    m->open_hi = ev->when.upper == EDTF_MAX;
    m->vague = ev->when.qualifiers != 0;
    double right = ax->left + ax->width;
    m->x0 = m->open_lo ? ax->left : timeline_x(ax, ev->when.lower);
    m->x1 = m->open_hi ? right : timeline_x(ax, ev->when.upper);
    if (!m->open_lo && !m->open_hi && m->x1 - m->x0 < POINT_SHARE * ax->width) {
        m->point = true;
        m->x0 = m->x1 = (m->x0 + m->x1) / 2;
    }
    double l = m->point ? m->x0 - TIMELINE_POINT_R : m->x0;
    double r = m->point ? m->x0 + TIMELINE_POINT_R : m->x1;
    if (m->open_lo)
        l -= TIMELINE_ARROW_W;
    if (m->open_hi)
        r += TIMELINE_ARROW_W;
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
    if (r + 5 + w <= right + TIMELINE_RIGHT_PAD - 4 && !m->open_hi) {
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
static long lane_pack(timeline_lane *l, const timeline_mark *m)
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

int timeline_place(timeline_layout *tl, const report_event *ev, timeline_mark *m)
{
    memset(m, 0, sizeof *m);
    const char *id, *name;
    lane_key(tl, ev, &id, &name);
    size_t li = id ? lane_find(tl, id) : SIZE_MAX;
    if (li == SIZE_MAX)
        li = tl->other;
    if (li == SIZE_MAX)
        return 1;
    if (mark_layout(&tl->axis, ev, tl->labels, m) != 0)
        return -1;
    timeline_lane *l = &tl->lanes[li];
    m->lane = li;
    m->row = lane_pack(l, m);
    if (m->row < 0) {
        timeline_mark_free(m);
        return -1;
    }
    m->cy = l->top + TIMELINE_LANE_PAD + (double)m->row * TIMELINE_ROW_H + TIMELINE_ROW_H / 2;
    return 0;
}

void timeline_mark_free(timeline_mark *m)
{
    if (!m)
        return;
    free(m->label);
    m->label = NULL;
}

void timeline_stack(timeline_layout *tl)
{
    double y = TIMELINE_AXIS_H;
    for (size_t i = 0; i < tl->nlanes; i++) {
        timeline_lane *l = &tl->lanes[i];
        l->rows = l->nrow_end ? l->nrow_end : 1;
        l->nrow_end = 0;                       /* step 4 packs again from empty rows */
        l->top = y;
        y += (double)l->rows * TIMELINE_ROW_H + 2 * TIMELINE_LANE_PAD;
    }
    tl->height = y + TIMELINE_FOOT_H;
}
