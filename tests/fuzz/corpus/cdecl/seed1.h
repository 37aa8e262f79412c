/* doc */
#define A 1
#define B(x) ((x) + A)
enum e { E0, E1 = 3, E2 };
struct s {
#define N 4
	__u8 a[N];
	union { int x; long y; } u;
} __attribute__((packed));
typedef struct s s_t;
#ifdef X
int f(int);
#endif
