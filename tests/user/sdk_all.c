/*
 * Calls every function atoll.h imports, so that the test can check the
 * header against env.wasm: instantiating this against the shim type-checks
 * every prototype, and its import list must name every shim export.
 */
#include "user/sdk/atoll.h"

ATOLL_EXPORT(all) int64_t all(int32_t h)
{
    atoll_handle out;
    int32_t i;
    int64_t v = 0;
    v += atoll_handle_count();
    v += atoll_handle_kind(h);
    v += atoll_handle_drop(h);
    v += atoll_vma_write(h, h, 0, 0, 0);
    v += atoll_vma_create(1, &out);
    v += atoll_vma_size(h, &v);
    v += atoll_module_create(h, 0, 0, &out);
    v += atoll_component_create(&out);
    v += atoll_component_grant(h, h, &i);
    v += atoll_component_add_instance(h, h, &i);
    v += atoll_component_add_named(h, h, h, 0, 1, &i);
    v += atoll_component_call(h, 0, h, 0, 1, 0, &v);
    v += atoll_component_start(h, 0, h, 0, 1, 0);
    v += atoll_component_add_start(h, h, h, 0, 1);
    v += atoll_component_status(h, &v);
    v += atoll_component_kill(h);
    v += atoll_component_limit(h, 3, 50);
    v += atoll_component_info(h, 0, &v);
    v += atoll_component_describe(h, h, 0, 1, &v);
    v += atoll_clock_ns();
    v += atoll_log_write(h, 0, 0);
    v += atoll_sys_info(h);
    atoll_handle o2, o3, o4;
    int64_t k;
    v += atoll_handle_rights(h, &i);
    v += atoll_handle_duplicate(h, 1, &out);
    v += atoll_channel_create(&out, &o2);
    v += atoll_channel_write(h, h, 0, 0, -1, -1, -1, -1);
    v += atoll_channel_read(h, h, 0, 0, &k, &i, &out, &o2, &o3, &o4);
    v += atoll_wait_one(h, 1, 0, &i);
    v += atoll_waitset_create(&out);
    v += atoll_waitset_add(h, h, 1, 7);
    v += atoll_waitset_remove(h, 7);
    v += atoll_waitset_wait(h, 0, &k, &i);
    v += atoll_events_watch(h);
    v += atoll_sleep_until(0);
    atoll_yield();
    if (v == 12345)
        atoll_exit(v);
    v += atoll_handle_revocable(h, 1, &out, &o2);
    v += atoll_revoke(h);
    v += atoll_component_memory(h, 0, &out);
    v += atoll_random(h, 0, 8);
    v += atoll_channel_call(h, h, 0, 0, 0, 0, -1, h, h, h, h, &k, &i, &out, &o2, &o3, &o4);
    v += atoll_ioport_range(h, 0x70, 2, &out);
    v += atoll_port_in(h, 0x70, 1, &i);
    v += atoll_port_out(h, 0x70, 1, 0);
    v += atoll_irq_line(h, 8, &out);
    v += atoll_irq_ack(h, &k);
    return v + k;
}
