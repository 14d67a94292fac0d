/*
 * ping — looks up the service "ping" (pingd), sends its arguments as one
 * message and prints the answer and the round trip:
 *
 *     atoll> run ping hello
 *     pong: hello
 *     round trip: 41 us
 *
 * Ordinary C (stdio) that also calls the kernel: the SDK's atoll.h and
 * service.h, through its own env shim (docs/programs.md).
 */
#include <stdio.h>
#include <string.h>

#include "user/sdk/atoll.h"
#include "user/sdk/service.h"

static char text[1024], answer[1024];

int main(int argc, char **argv)
{
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        size_t k = strlen(argv[i]);
        if (n + k + 1 >= sizeof text)
            break;
        if (n)
            text[n++] = ' ';
        memcpy(text + n, argv[i], k);
        n += k;
    }
    if (n == 0) {
        memcpy(text, "ping", 4);
        n = 4;
    }
    atoll_handle ch;
    int32_t r = atoll_service_lookup("ping", &ch);
    if (r != ATOLL_REG_OK) {
        printf("ping: no service \"ping\" (%s): start it with run pingd &\n",
               r == ATOLL_REG_NO_NAME ? "not registered" : "registry error");
        return 1;
    }
    int64_t t0 = atoll_clock_ns();
    size_t len = 0;
    r = atoll_channel_request(ch, text, n, answer, sizeof answer - 1, &len, t0 + 5000000000ll);
    int64_t t1 = atoll_clock_ns();
    if (r != ATOLL_OK) {
        printf("ping: no answer: %s\n", atoll_result_name(r));
        return 1;
    }
    answer[len] = 0;
    printf("pong: %s\nround trip: %lld us\n", answer, (long long)((t1 - t0) / 1000));
    atoll_handle_drop(ch);
    return 0;
}
