/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Intrusive doubly-linked lists: an item has next and prev members, the list is its head
 * pointer. */

/* Takes item out of the list that head points to, and clears its links. */
#define LIST_REMOVE(head, item)                                         \
        do {                                                            \
                __typeof__(item) _item = (item);                        \
                if (_item->prev)                                        \
                        _item->prev->next = _item->next;                \
                else if ((head) == _item)                               \
                        (head) = _item->next;                           \
                if (_item->next)                                        \
                        _item->next->prev = _item->prev;                \
                _item->next = _item->prev = NULL;                       \
        } while (0)
