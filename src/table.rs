//! The scrollable data table every view uses.

use leptos::prelude::*;

/// A column heading: its text, and whether the column holds numbers (right-aligned).
pub fn column(title: impl Into<String>, numeric: bool) -> (String, bool) {
    (title.into(), numeric)
}

/// A horizontally scrollable table with one heading row and the given body rows.
#[component]
pub fn DataTable(
    /// The table's element id.
    id: &'static str,
    /// Extra CSS class of the table.
    #[prop(optional)]
    class: &'static str,
    /// Column headings (see [`column`]).
    columns: Vec<(String, bool)>,
    /// The sort order (column index, ascending), when the table can be sorted.
    #[prop(optional)]
    sort: Option<RwSignal<(usize, bool)>>,
    /// The columns a click on the heading sorts by.
    #[prop(optional)]
    sortable: Vec<usize>,
    /// The body rows.
    children: Children,
) -> impl IntoView {
    let heading = move |(i, (title, numeric)): (usize, (String, bool))| match sort {
        Some(sort) if sortable.contains(&i) => {
            let aria = move || match sort.get() {
                (c, true) if c == i => "ascending",
                (c, false) if c == i => "descending",
                _ => "none",
            };
            // A click sorts by this column, ascending first, then flips the direction.
            let click = move |_| {
                sort.update(|(c, asc)| {
                    *asc = if *c == i { !*asc } else { true };
                    *c = i;
                })
            };
            view! {
                <th scope="col" class:num=numeric aria-sort=aria>
                    <button type="button" class="sort" on:click=click>
                        {title}
                    </button>
                </th>
            }
            .into_any()
        }
        _ => view! { <th scope="col" class:num=numeric>{title}</th> }.into_any(),
    };
    view! {
        <div class="table-scroll">
            <table id=id class=class>
                <thead>
                    <tr>{columns.into_iter().enumerate().map(heading).collect_view()}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
