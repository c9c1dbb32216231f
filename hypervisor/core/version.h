/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FTVISOR_CORE_VERSION_H
#define FTVISOR_CORE_VERSION_H

#define FTVISOR_VERSION "0.1.0"
#ifndef FTVISOR_GIT
#define FTVISOR_GIT "unknown"
#endif

#endif
