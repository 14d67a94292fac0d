/* The boot banner: what machine this is and how long boot took. */
#ifndef KERN_BANNER_H
#define KERN_BANNER_H

void banner_print(void);

#endif
