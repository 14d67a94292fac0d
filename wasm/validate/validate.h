/* validate.h: the validator's state, shared by its files.
 *
 * validate_func.c drives a body (with a fast path for common
 * instructions), validate_instr.c holds the full rule of every instruction
 * kind, validate_stack.c the operand and control stacks. Internal to wasm/.
 */
#ifndef ATOLL_WASM_VALIDATE_H
#define ATOLL_WASM_VALIDATE_H

#include "../decode/decode.h"

struct ctrl {
    uint8_t kind;              /* WASM_K_BLOCK, LOOP, IF or ELSE */
    bool unreachable;          /* rest of the frame is dead code */
    uint32_t height;           /* operand-stack height below the frame */
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
    uint32_t side;             /* side entry of the opener; WASM_NONE: body */
    uint32_t weight;           /* what a local use here counts (module.h's
                                  hot locals): 8 times more per enclosing
                                  loop, up to three */
};

/* The weight of a frame of `kind` opened inside one of weight w, at
 * depth (frames open, the body excluded): loops deeper than 64 are not
 * counted, as the compiler's own count did. */
static inline uint32_t frame_weight(uint32_t w, uint8_t kind, uint32_t depth)
{
    return kind == WASM_K_LOOP && depth < 64 && w < 512 ? w << 3 : w;
}

/* The operand stack has this many readable bytes below its bottom, so the
 * fast path can load the top four types at once even when fewer are on
 * the stack (the mask then ignores the extra bytes). */
#define VALS_HEADROOM 4

/* Scratch arrays, kept across the bodies of one module. */
struct vstate {
    uint8_t *vals;
    uint32_t cap_vals;
    struct ctrl *ctrls;
    uint32_t cap_ctrls;
    struct wasm_side *side;
    uint32_t cap_side;
    uint8_t *locals;
    uint32_t cap_locals;
    uint32_t *weight;          /* per local: its uses, weighted */
    uint32_t cap_weight;
};

typedef struct {
    struct dec *d;
    struct vstate *vs;
    uint32_t nvals, nctrls, nside;
    uint32_t max_vals, max_ctrls;
    const uint8_t *code;       /* first instruction: pcs count from here */
    const uint8_t *at;         /* the instruction being checked */
} V;


/* validate_stack.c */
bool wasm_vgrow(V *v, void **arr, uint32_t *cap, uint32_t need, size_t elem);
bool wasm_grow_vals(V *v);
bool wasm_vals_init(V *v);
bool wasm_mismatch(V *v, uint8_t want, uint8_t got);
bool wasm_pop_vals(V *v, const uint8_t *ts, uint32_t n);
bool wasm_push_vals(V *v, const uint8_t *ts, uint32_t n);
bool wasm_check_top(V *v, const uint8_t *ts, uint32_t n);
void wasm_set_unreachable(V *v);
bool wasm_push_ctrl(V *v, uint8_t kind, const uint8_t *params, uint32_t np,
               const uint8_t *results, uint32_t nr, uint32_t side);
bool wasm_close_frame(V *v);
bool wasm_side_add(V *v, uint32_t a, uint32_t b, uint32_t c, uint32_t *idx);
bool wasm_label_of(V *v, uint32_t depth, struct ctrl **out);
bool wasm_branch(V *v, struct ctrl *t);

/* validate_instr.c: reads and checks one instruction with the full rules. */
bool wasm_step(V *v);

static inline struct ctrl *top(V *v)
{
    return &v->vs->ctrls[v->nctrls - 1];
}


static inline bool push(V *v, uint8_t t)
{
    if (v->nvals == v->vs->cap_vals)
        TRY(wasm_grow_vals(v));
    v->vs->vals[v->nvals++] = t;
    if (v->nvals > v->max_vals)
        v->max_vals = v->nvals;
    return true;
}

static inline bool pop_any(V *v, uint8_t *t)
{
    struct ctrl *c = top(v);
    if (v->nvals == c->height) {
        if (c->unreachable) {
            *t = 0;
            return true;
        }
        return wasm_dec_invalid(v->d, v->at, "type mismatch: operand stack empty");
    }
    *t = v->vs->vals[--v->nvals];
    return true;
}

static inline bool pop(V *v, uint8_t want)
{
    struct ctrl *c = top(v);
    if (v->nvals > c->height) {
        uint8_t t = v->vs->vals[--v->nvals];
        if (t != want && t && want)
            return wasm_mismatch(v, want, t);
        return true;
    }
    if (c->unreachable)
        return true;
    return wasm_mismatch(v, want, 0);
}

static inline uint32_t label_arity(const struct ctrl *c)
{
    return c->kind == WASM_K_LOOP ? c->nparams : c->nresults;
}

static inline const uint8_t *label_types(const struct ctrl *c)
{
    return c->kind == WASM_K_LOOP ? c->params : c->results;
}

/* One instruction at p as text into out (NUL-terminated when size > 0);
 * returns the bytes it spans, 0 if none could be read (disasm.c). The
 * validator's messages quote the instruction they refuse with it. */
size_t wasm_disasm(const uint8_t *p, const uint8_t *end, char *out, size_t size);

#endif
