/* placeholder: being written */
typedef int an_placeholder_t;
