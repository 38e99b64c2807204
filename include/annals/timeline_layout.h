/* timeline_layout.h - the layout of a visual timeline as plain data: the time axis and its ticks, the lanes, each event's mark and row. */
#ifndef ANNALS_TIMELINE_LAYOUT_H
#define ANNALS_TIMELINE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "annals/query.h"
#include "annals/util.h"

/*
 * The layout knows nothing of HTML or of a stream: render_html.c draws it
 * as SVG. It is built in three steps over the same events in the same
 * order, so that memory stays bounded by the number of lanes (actors or
 * places), never by the number of events:
 *
 *   timeline_init, then timeline_add for each event: the lanes (the first
 *     actor, or first place, of each event, in order of first appearance;
 *     "other" last for the events with none) and the finite extent;
 *   timeline_scale: the "other" lane, the lane labels, the axis and ticks;
 *   timeline_place for each event: its mark, packed into the first row of
 *     its lane where it overlaps nothing; then timeline_stack: each lane's
 *     rows, place and height, and the packing starts again from empty rows;
 *   timeline_place again for each event (same order, same result): the
 *     marks to draw, each with its row's y.
 *
 * Coordinates are SVG user units (the SVG scales to the page width).
 */

/* Geometry the page draws with. */
#define TIMELINE_W 1200.0
#define TIMELINE_RIGHT_PAD 28.0
#define TIMELINE_AXIS_H 34.0      /* tick labels above the lanes */
#define TIMELINE_FOOT_H 30.0      /* tick labels below the lanes */
#define TIMELINE_ROW_H 20.0
#define TIMELINE_LANE_PAD 5.0
#define TIMELINE_MARK_H 10.0
#define TIMELINE_POINT_R 5.0
#define TIMELINE_ARROW_W 9.0
/* With more events than this, marks go without labels (tooltips stay). */
#define TIMELINE_LABEL_LIMIT 250

/*
 * The lane colours (Okabe-Ito and Tol: distinct for colour-blind readers,
 * dark enough for print), then the "other" lane's grey at index
 * TIMELINE_NCOLOURS. timeline_colour(i) is "#rrggbb" for 0 <= i <= TIMELINE_NCOLOURS.
 */
#define TIMELINE_NCOLOURS 8
const char *timeline_colour(size_t i);

typedef enum { TIMELINE_HOUR, TIMELINE_DAY, TIMELINE_MONTH, TIMELINE_YEAR } timeline_unit;

/* A tick spacing: every step hours, days, months or years. */
typedef struct {
    timeline_unit unit;
    int64_t step;
} timeline_step;

#define TIMELINE_MAX_TICKS 64

/*
 * A tick: its time (a bound, in seconds), its x, and its label ("1 Mar",
 * "Mar 2021", "500 BCE", "170 million BCE"): the year is named on the
 * first tick and where it changes.
 */
typedef struct {
    int64_t t;
    double x;
    char label[64];
} timeline_tick;

typedef struct {
    int64_t lo, hi;         /* the axis, in bound seconds; lo < hi */
    double left, width;     /* its place in the SVG */
    bool open_lo, open_hi;  /* some event runs off that edge */
    timeline_step step;
    timeline_tick ticks[TIMELINE_MAX_TICKS];
    size_t nticks;
} timeline_axis;

typedef struct {
    char *id;            /* actor or place id; NULL for the "other" lane */
    char *name;
    char *label;         /* name shortened to the lane label column; set by timeline_scale */
    size_t colour;       /* timeline_colour's index */
    size_t rows;         /* rows its marks need (at least 1); set by timeline_stack */
    double top;          /* y of the lane's band; set by timeline_stack */
    double *row_end;     /* right edge of the last item of each row, while packing */
    size_t nrow_end, cap_row_end;
} timeline_lane;

/*
 * One event's mark. A bar from x0 to x1, or a point (x0 == x1) for a span
 * narrower than half a percent of the axis; an open end runs to the axis's
 * edge with an arrow. label is the title shortened to fit (NULL when the
 * marks go without labels): it starts at label_x, or ends there when
 * label_end (left of the mark), or lies over the bar when label_over.
 */
typedef struct {
    size_t lane;            /* index into the layout's lanes */
    long row;               /* row within the lane, from 0 */
    double cy;              /* y of the row's middle (after timeline_stack) */
    double x0, x1;
    bool point;
    bool open_lo, open_hi;
    bool vague;             /* uncertain or approximate: drawn dashed */
    double label_x;
    bool label_end;
    bool label_over;
    double occ_l, occ_r;    /* what the mark and label occupy in their row */
    char *label;            /* owned by the mark: timeline_mark_free */
} timeline_mark;

typedef struct {
    bool by_region;         /* lanes by first place, else by first actor */
    bool labels;            /* marks carry labels (count <= TIMELINE_LABEL_LIMIT) */
    timeline_lane *lanes;
    size_t nlanes, cap_lanes;
    strmap index;           /* id -> lane (keys are the lanes' own ids) */
    bool has_other;
    size_t other;           /* index of the "other" lane, or SIZE_MAX */
    int64_t lo, hi;         /* the finite extent of the dates; lo > hi: none */
    timeline_axis axis;     /* set by timeline_scale */
    double height;          /* of the whole SVG; set by timeline_stack */
} timeline_layout;

/*
 * An empty layout for count events (which decides whether marks carry
 * labels), lanes by first place when by_region. lo and hi are bounds the
 * events are known to reach (query_extent's), or EDTF_MIN and EDTF_MAX
 * when none is known: the finite extent starts from them (open ends are
 * ignored) and timeline_add widens it.
 */
void timeline_init(timeline_layout *tl, bool by_region, long count, int64_t lo, int64_t hi);

/* Frees what the layout holds; a zeroed or freed layout is a no-op. */
void timeline_free(timeline_layout *tl);

/*
 * Step 1: take one event's lane and dates (its bounds, and the bounds of
 * its sides). Returns 0, or -1 when out of memory (the layout stays valid
 * for timeline_free).
 */
int timeline_add(timeline_layout *tl, const report_event *ev);

/*
 * Step 2: the "other" lane (when some event has no lane), the lane labels
 * and the axis: the finite extent with a margin, three times as wide on a
 * side where some event is open, and its ticks (timeline_axis_set).
 * Returns 0, or -1 when out of memory.
 */
int timeline_scale(timeline_layout *tl);

/*
 * The axis over [lo, hi] (already with its margins) at left..left+width,
 * and its ticks: the finest step of hours, days, months, or 1-2-5 x 10^k
 * years whose widest labels fit side by side. Years step as historians
 * count them: BCE ticks where the BCE year is a multiple of the step
 * (500 BCE is the astronomical year -499), with 1 CE between the eras
 * (there is no year 0) for steps of 5 years or more. open_lo and open_hi
 * are left as they are.
 */
void timeline_axis_set(timeline_axis *ax, int64_t lo, int64_t hi, double left, double width);

/* The x of time t on the axis, clamped to its ends. */
double timeline_x(const timeline_axis *ax, int64_t t);

/*
 * Steps 3 and 4: the mark of the next event into *m, packed into its lane.
 * Returns 0 (the caller frees m with timeline_mark_free), 1 for an event
 * with no lane (the data changed between steps: it is left out, *m holds
 * nothing to free), or -1 when out of memory (*m holds nothing to free).
 */
int timeline_place(timeline_layout *tl, const report_event *ev, timeline_mark *m);

/* Frees the mark's label; NULL or an emptied mark is a no-op. */
void timeline_mark_free(timeline_mark *m);

/*
 * After step 3: each lane's rows and top, the SVG's height; the packing
 * starts again from empty rows for step 4.
 */
void timeline_stack(timeline_layout *tl);

/*
 * An astronomical year as a reader writes it, into buf: 2021, 44 BCE (for
 * -43), 1 CE when ce_mark, 12,500 BCE. With abbreviate (tick labels, which
 * are round numbers), millions and billions in words: 170 million BCE.
 */
void timeline_year_words(int64_t y, bool ce_mark, bool abbreviate, char *buf, size_t size);

#endif
